"""The draft as scenario YAML with its review list on top, checked by accord's own loader."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from accord.draft.build import Draft
from accord.draft.text import Article
from accord.scenario.evidence import quote_occurs
from accord.scenario.loader import Loaded, parse_scenario

WIDTH = 100  # the header's comments
YAML_WIDTH = 100_000  # no folded scalars: a quote is written and read back word for word


def to_yaml(draft: Draft) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="safe")  # the C emitter where ruamel.yaml.clib is installed
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = YAML_WIDTH
    y.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    buf = io.StringIO()
    y.dump(draft.scenario, buf)
    return header(draft) + buf.getvalue()


def header(draft: Draft) -> str:
    meta: dict[str, Any] = draft.scenario["meta"]
    lines = [
        f"A DRAFT drafted by `accord draft` from {meta['sources'][0].get('file', 'a text')}.",
        "Every element quotes the text; nobody has judged any number yet. Needs review:",
    ]
    out = [f"# {line}" for line in lines]
    for item in draft.review:
        wrapped = textwrap.wrap(item, WIDTH - 6) or [""]
        out.append(f"#  - {wrapped[0]}")
        out.extend(f"#    {rest}" for rest in wrapped[1:])
    return "\n".join(out) + "\n"


def finished(
    draft: Draft, article: Article, name: str, source_dirs: list[Path] | None = None
) -> tuple[str, Loaded]:
    """The YAML and its loaded scenario, every quote read back checked against the text.

    A quote the checker would not find after the round trip through YAML is dropped (its
    number keeps its assumption) and listed for review: a draft always validates.
    """
    yaml_text = to_yaml(draft)
    loaded = check(yaml_text, name, source_dirs)
    lost = {ev.quote for _, p in loaded.scenario.parameters() for ev in p.evidence
            if not quote_occurs(ev.quote, article.verify)}
    if not lost:
        return yaml_text, loaded
    _drop_quotes(draft.scenario, lost)
    draft.review.append(f"{len(lost)} quote(s) dropped: not found again after writing")
    yaml_text = to_yaml(draft)
    return yaml_text, check(yaml_text, name, source_dirs)


def _drop_quotes(node: Any, lost: set[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("evidence"), list):
            node["evidence"] = [e for e in node["evidence"] if e.get("quote") not in lost]
            if not node["evidence"]:
                del node["evidence"]
        for v in node.values():
            _drop_quotes(v, lost)
    elif isinstance(node, list):
        for v in node:
            _drop_quotes(v, lost)


def check(yaml_text: str, name: str, source_dirs: list[Path] | None = None) -> Loaded:
    """Load the draft as `accord validate` would (strict: every number has its provenance)."""
    return parse_scenario(yaml_text, name, source_dirs=source_dirs,
                          require_texts=bool(source_dirs), strict=True)
