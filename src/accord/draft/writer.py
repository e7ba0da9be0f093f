"""The draft as scenario YAML with its review list on top, checked by accord's own loader."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from accord.draft.build import Draft
from accord.scenario.loader import Loaded, parse_scenario

WIDTH = 100


def to_yaml(draft: Draft) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="safe")  # the C emitter where ruamel.yaml.clib is installed
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = WIDTH
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


def check(yaml_text: str, name: str, source_dirs: list[Path] | None = None) -> Loaded:
    """Load the draft as `accord validate` would (strict: every number has its provenance)."""
    return parse_scenario(yaml_text, name, source_dirs=source_dirs,
                          require_texts=bool(source_dirs), strict=True)
