"""Editing one number of a scenario's YAML text, keeping its comments and layout.

The text is loaded with ruamel's round-trip loader (quotes preserved, no line wrapping, the
file's own indentation detected), one parameter node is changed in place — its evidence and
assumption kept — and the whole tree dumped back. Unchanged parts come back byte for byte.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from accord.errors import UserError
from accord.scenario.params import DIST_KEYS
from accord.scenario.yamlio import load_yaml, parse_path

DIST_FIELDS = {"dist", *(k for keys in DIST_KEYS.values() for k in keys)}
NUM = r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*"
SHORT_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "u": ("uniform", ("low", "high")),
    "uniform": ("uniform", ("low", "high")),
    "beta": ("beta", ("a", "b")),
    "tri": ("triangular", ("low", "mode", "high")),
    "triangular": ("triangular", ("low", "mode", "high")),
    "n": ("normal", ("mean", "sd")),
    "normal": ("normal", ("mean", "sd")),
    "logn": ("lognormal", ("median", "sigma")),
    "lognormal": ("lognormal", ("median", "sigma")),
}
HELP = (
    "write 0.2, U(0.1, 0.3), Beta(2, 8), Tri(0, 0.1, 0.3), N(5, 1), LogN(2, 0.5) "
    "or low: 0.1, high: 0.3"
)


def _indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation as the file writes it."""
    lines = text.splitlines()
    mapping = 2
    for a, b in zip(lines, lines[1:], strict=False):
        ma = re.match(r"^( *)[A-Za-z_][\w-]*:\s*(#.*)?$", a)
        mb = re.match(r"^( *)(- )?", b)
        if ma and mb and b.strip() and not b.lstrip().startswith("#"):
            if mb.group(2):
                offset = len(mb.group(1)) - len(ma.group(1))
                return mapping, offset + 2, offset
            step = len(mb.group(1)) - len(ma.group(1))
            if step > 0:
                mapping = step
    return mapping, 2, 0


def _yaml(text: str) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    m, s, o = _indent(text)
    y.indent(mapping=m, sequence=max(s, o + 2), offset=o)
    return y


def load_tree(text: str, name: str) -> Any:
    load_yaml(text, name)  # the safety guards first (tags, alias bombs, size)
    return _yaml(text).load(io.StringIO(text))


def dump_tree(tree: Any, like: str) -> str:
    buf = io.StringIO()
    _yaml(like).dump(tree, buf)
    return buf.getvalue()


def _number(s: str) -> float | int:
    s = s.strip()
    return int(s) if re.fullmatch(r"[-+]?\d+", s) else float(s)


def parse_param_text(text: str) -> float | dict[str, Any]:
    """What the user typed in a number's cell → a YAML scalar or the distribution's keys."""
    s = text.strip()
    if not s:
        raise ValueError(f"empty; {HELP}")
    if re.fullmatch(NUM, s):
        return _number(s)
    m = re.fullmatch(r"([A-Za-z]+)\s*\((.*)\)", s)
    if m and m.group(1).lower() in SHORT_FORMS:
        dist, keys = SHORT_FORMS[m.group(1).lower()]
        raw = re.sub(r"\b(median|σ|sigma)\b", "", m.group(2).replace("σ", ""))
        parts = [p for p in raw.split(",")]
        if len(parts) != len(keys) or not all(re.fullmatch(NUM, p) for p in parts):
            raise ValueError(f"{m.group(1)}(...) takes {len(keys)} numbers: {', '.join(keys)}")
        vals = [_number(p) for p in parts]
        out: dict[str, Any] = {} if dist == "uniform" else {"dist": dist}
        out.update(zip(keys, vals, strict=True))
        return out
    if re.match(r"[A-Za-z]+\s*\(", s):
        raise ValueError(f"cannot read {text!r}; {HELP}")
    body = s if s.startswith("{") else "{" + s + "}"
    try:
        data = YAML(typ="safe").load(body)
    except Exception:  # noqa: BLE001 - any YAML error means the cell cannot be read
        data = None
    if not isinstance(data, dict) or not data:
        raise ValueError(f"cannot read {text!r}; {HELP}")
    bad = [k for k in data if k not in DIST_FIELDS]
    if bad:
        raise ValueError(f"unknown key '{bad[0]}' in {text!r}; {HELP}")
    return data


def _node(tree: Any, path: tuple[str | int, ...]) -> tuple[Any, str | int]:
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    if path[-1] not in parent if isinstance(parent, dict) else not 0 <= path[-1] < len(parent):  # type: ignore[operator]
        raise KeyError(path[-1])
    return parent, path[-1]


def edit_tree(tree: Any, name: str, field: str, value_text: str) -> None:
    """Replace the parameter at `field` (e.g. events[3].hazard) in a round-trip tree, in place.

    A mapping keeps its evidence, assumption, comments and key order; only the distribution's
    keys change. A UserError names the field when the text cannot be read.
    """
    try:
        new = parse_param_text(value_text)
    except ValueError as exc:
        raise UserError.at(str(exc), file=name, field=field) from None
    try:
        parent, key = _node(tree, parse_path(field))
    except (KeyError, IndexError, TypeError, ValueError):
        raise UserError.at("no such parameter in the scenario", file=name, field=field) from None
    replace_param(parent, key, new)


def replace_param(parent: Any, key: str | int, new: float | dict[str, Any]) -> None:
    """Put a parsed number (parse_param_text) at parent[key]: an existing mapping keeps its
    evidence, assumption, comments and key order; only the distribution's keys change."""
    old = parent[key]
    if isinstance(old, CommentedMap):
        for k in [k for k in old if k in DIST_FIELDS]:
            del old[k]
        items = new.items() if isinstance(new, dict) else [("value", new)]
        for pos, (k, v) in enumerate(items):
            old.insert(pos, k, v)
    elif isinstance(new, dict):
        m = CommentedMap(new)
        m.fa.set_flow_style()
        parent[key] = m
    else:
        parent[key] = new


def set_param(text: str, name: str, field: str, value_text: str) -> str:
    """The scenario text with the parameter at `field` replaced (comments and layout kept)."""
    tree = load_tree(text, name)
    edit_tree(tree, name, field, value_text)
    return dump_tree(tree, text)
