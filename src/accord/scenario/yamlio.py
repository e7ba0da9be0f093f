"""Reading YAML safely and knowing where everything came from.

ruamel.yaml's round-trip loader keeps line numbers (for messages) and comments (for write-back).
Guards: size cap, UTF-8 only, no language-specific tags, a cap on alias expansion (billion laughs).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import UserError
from accord.scenario.messages import DATE_ADVICE, FLOW_KEY, yaml_message

MAX_BYTES = 2_000_000  # a scenario is a few kB; 2 MB leaves room for big issue tables
MAX_NODES = 200_000  # after alias expansion
PLAIN_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

if TYPE_CHECKING:
    from ruamel.yaml import YAML


def _yaml() -> YAML:
    from ruamel.yaml import YAML  # imported on first use: a fast parse may need none of it

    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def read_text(path: Path, what: str = "file") -> str:
    """The file's text, or a UserError saying why it cannot be read as one."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError.at(f"{what} not found", file=name) from None
    except OSError as exc:
        raise UserError.at(f"cannot read {what}: {exc.strerror}", file=name) from None
    if path.is_dir():
        article = "an" if what[:1] in "aeiou" else "a"
        raise UserError.at(f"is a folder, not {article} {what}", file=name)
    if size > MAX_BYTES:
        raise UserError.at(
            f"{what} is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB", file=name
        )
    data = path.read_bytes()
    return decode(data, name, what)


def decode(data: bytes, name: str, what: str = "file") -> str:
    """UTF-8 (with or without its BOM), or UTF-16 with its BOM (what Windows calls "Unicode"
    text); anything else is an error at its line."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError.at(f"{what} is not UTF-16 text (byte {exc.start})", file=name,
                               line=1) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UserError.at(f"{what} is binary, not text (a NUL byte)", file=name, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError.at(
            f"{what} is not UTF-8 text (byte {exc.start})", file=name, line=line
        ) from None
    if not text.strip():
        raise UserError.at(f"{what} is empty", file=name, line=1)
    return text


def load_yaml(text: str, name: str) -> Any:
    """Parse YAML text into ruamel's commented tree, refusing what a scenario never needs."""
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise UserError.at(f"text is larger than {MAX_BYTES / 1e6:.0f} MB", file=name)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        tree = _yaml().load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "found unhashable key" in msg or "duplicate key" in msg:
            msg = msg.split("\n")[0]
        msg = yaml_message(msg, text, line, mark.column if mark else None)
        raise UserError.at(msg, file=name, line=line) from None
    except ReaderError as exc:  # a control character: ruamel gives its offset, not its line
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        raise UserError.at(f"invalid YAML: a control character ({char}) is not allowed in the "
                           "text: delete it", file=name, line=line) from None
    except YAMLError as exc:
        raise UserError.at(f"invalid YAML: {exc}", file=name) from None
    except RecursionError:
        raise UserError.at("invalid YAML: nested too deeply", file=name) from None
    except IndexError:  # ruamel reads "-_" as an integer with no digits and fails
        raise UserError.at("invalid YAML: a number without digits", file=name) from None
    except AttributeError:  # ruamel building a tagged value from the wrong kind (`!!set x`)
        raise UserError.at("invalid YAML: a tag (`!!...`) on a value of the wrong kind; scenario "
                           "files need no tags: delete it", file=name,
                           line=_first_line(text, r"(^|\s)!")) from None
    except TypeError:  # ruamel hashing a {...} written as a key inside a list item
        raise UserError.at(f"invalid YAML: {FLOW_KEY}", file=name,
                           line=_first_line(text, r"[}\]]\s*:(\s|$)")) from None
    except ValueError as exc:  # ruamel builds timestamps eagerly: 2025-13-45 fails here
        line, where, written = _bad_date(text)
        raise UserError.at(
            f"invalid date ({exc}): {DATE_ADVICE}" + (f", not '{written}'" if written else ""),
            file=name, line=line, field=where,
        ) from None
    _guard(tree, name)
    return tree


def _first_line(text: str, pattern: str) -> int | None:
    return next((n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line)),
                None)


def _not_a_date(value: object) -> bool:
    """A string YAML reads as a timestamp that is no calendar date (2025-13-40)."""
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) if isinstance(value, str) else None
    if m is None:
        return False
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return True
    return False


def _bad_date(text: str) -> tuple[int | None, str | None, str | None]:
    """(line, field path, text) of the first impossible date: the text read again with
    timestamps kept as strings, so the date's place in the tree is known."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class _DatesAsText(RoundTripConstructor):
        pass

    _DatesAsText.add_constructor("tag:yaml.org,2002:timestamp",
                                 RoundTripConstructor.construct_yaml_str)
    y = _yaml()
    y.Constructor = _DatesAsText
    try:
        tree = y.load(io.StringIO(text))
    except Exception:  # noqa: BLE001 - the first error stands; this only locates it
        lines = text.splitlines()
        bad = [n for n, ln in enumerate(lines, 1)
               if any(_not_a_date(m) for m in re.findall(r"\d{4}-\d{1,2}-\d{1,2}", ln))]
        return (bad[0] if bad else None), None, None
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(tree, ())]
    while stack:
        node, path = stack.pop(0)
        if _not_a_date(node):
            return line_of(tree, path), field_path(path) or None, str(node)
        if isinstance(node, dict):
            stack += [(v, (*path, str(k))) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, (*path, i)) for i, v in enumerate(node)]
    return None, None, None


def _guard(tree: Any, name: str) -> None:
    """Reject tags and alias bombs without expanding anything."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seen = 0
    stack: list[tuple[Any, int]] = [(tree, 0)]
    while stack:
        node, line = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise UserError.at(
                f"the YAML expands to more than {MAX_NODES:,} values (aliases nested too deep?)",
                file=name,
                line=line or None,
            )
        tag = getattr(node, "tag", None)
        tag_value = getattr(tag, "value", tag) if tag is not None else None
        if isinstance(tag_value, str) and tag_value and tag_value not in PLAIN_TAGS:
            raise UserError.at(
                f"the tag {tag_value!r} is not allowed (scenarios hold plain data only)",
                file=name,
                line=line or None,
            )
        if isinstance(node, CommentedMap):
            for k, v in node.items():
                ln = node.lc.key(k)[0] + 1 if node.lc.data and k in node.lc.data else line
                stack.append((k, ln))
                stack.append((v, ln))
        elif isinstance(node, CommentedSeq):
            for i, v in enumerate(node):
                ln = node.lc.item(i)[0] + 1 if node.lc.data and i in node.lc.data else line
                stack.append((v, ln))
        elif type(node).__name__.startswith("CommentedKey"):
            raise UserError.at(f"invalid YAML: {FLOW_KEY}", file=name, line=line or None)
        elif not isinstance(node, str | int | float | bool | dt.date | type(None)):
            kind = {"bytes": "!!binary", "CommentedSet": "!!set", "CommentedOrderedMap":
                    "!!omap"}.get(type(node).__name__, "a YAML tag (!!...)")
            raise UserError.at(
                f"{kind} is not supported here: write a plain number, text, list or mapping "
                "without a tag", file=name, line=line or None,
            )


def to_plain(node: Any) -> Any:
    """Commented tree → plain dicts, lists and scalars (what pydantic validates)."""
    if isinstance(node, dict):  # ruamel's CommentedMap and CommentedSeq are dict and list
        return {str(k) if not isinstance(k, str) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node.date() if node.time() == dt.time() else node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def line_of(tree: Any, path: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node along `path` that exists in the tree."""
    node, line = tree, None
    for key in path:  # only ruamel's commented nodes have `lc` (their lines and columns)
        if isinstance(node, dict) and hasattr(node, "lc") and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, list) and hasattr(node, "lc") and isinstance(key, int) \
                and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    if line is None and hasattr(tree, "lc"):
        line = tree.lc.line + 1
    return line


def field_path(path: tuple[str | int, ...]) -> str:
    """('events', 3, 'when') → 'events[3].when'."""
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def parse_path(text: str) -> tuple[str | int, ...]:
    """'events[3].modifiers[0].multiply' → ('events', 3, 'modifiers', 0, 'multiply')."""
    out: list[str | int] = []
    for part in text.replace("]", "").split("."):
        name, *idx = part.split("[")
        if name:
            out.append(name)
        out.extend(int(i) for i in idx)
    return tuple(out)


def dump_yaml(tree: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(tree, buf)
    return buf.getvalue()
