"""`accord draft` for the web: a scenario drafted from a text sent in a request (POST /api/draft,
and the "from a text" start of POST /api/scenarios and of the dashboard's New scenario)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
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


MAX_PENDING = 32  # texts kept for review at once (the oldest is forgotten first)


@dataclass
class Pending:
    """A text sent from New scenario → from a text, kept while its draft is reviewed."""

    text: str
    title: str | None = None
    horizon: int = 24
    as_of: dt.date | None = None  # None: the text's own date (the draft's as_of)
    yaml: str = ""  # the draft, once `drafted`
    review: list[str] = field(default_factory=list)
    sentences: list[Any] = field(default_factory=list)  # as the drafter reads the text

    def drafted(self) -> Pending:
        """Draft the text with these settings (`accord draft`): the YAML, its review list and
        the text's sentences kept here. A text with nothing to draft is a UserError."""
        from accord.draft.sentences import split_sentences
        from accord.draft.text import article_of

        out = draft_scenario(DraftRequest(text=self.text, as_of=self.as_of, title=self.title,
                                          horizon=self.horizon))
        self.yaml, self.review = out["yaml"], out["review"]
        if not self.sentences:
            self.sentences = split_sentences(article_of(self.text, "text", None).text)
        return self


def keep_pending(store: dict[str, Pending], pending: Pending) -> str:
    """Keep a text for review under a new unguessable key; the oldest beyond MAX_PENDING go."""
    key = secrets.token_urlsafe(12)
    store[key] = pending
    while len(store) > MAX_PENDING:
        store.pop(next(iter(store)))
    return key


def write_source(ws: Any, ref: str, text: str) -> str:
    """The text written beside the new scenario `ref` (NAME.yaml → NAME.txt), so that its
    quotes are checked against it and offered when picking a quote; its file name. A different
    file of that name already there is refused, not overwritten."""
    path = ws.path_of(ref, must_exist=False).with_suffix(".txt")
    if path.exists() and path.read_text(encoding="utf-8", errors="replace") != text:
        raise UserError.at(f"{path.name} already exists in the workspace; choose another "
                           "file name", field="file")
    path.write_text(text, encoding="utf-8")
    return path.name
