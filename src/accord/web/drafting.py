"""`accord draft` for the web: a scenario drafted from a text sent in a request (POST /api/draft,
and the "from a text" start of POST /api/scenarios and of the dashboard's New scenario)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from accord.errors import UserError
from accord.scenario.yamlio import MAX_BYTES


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_BYTES, description="the article: plain text or HTML")
    as_of: dt.date | None = Field(
        None, description="default: a date in the text's first lines, else today")
    title: str | None = Field(None, max_length=500, description="the scenario's title")
    id: str | None = Field(None, max_length=80, description="the scenario's id")
    horizon: int = Field(24, ge=1, le=600, description="months to forecast from as_of")


def draft_scenario(req: DraftRequest) -> dict[str, Any]:
    """`accord draft` on a text sent in the request; a text with nothing to draft is a 422."""
    from accord.draft.build import Options, build
    from accord.draft.text import article_of
    from accord.draft.writer import finished

    article = article_of(req.text, "text", None)
    draft = build(article, Options(as_of=req.as_of, title=req.title, id=req.id,
                                   horizon=req.horizon))
    try:
        yaml_text, _ = finished(draft, article, "draft.yaml")
    except UserError as exc:  # the draft is ours: failing our own check is a bug (a 500)
        raise RuntimeError(f"the draft failed its own validation: {exc}") from None
    return {"yaml": yaml_text, "review": draft.review}
