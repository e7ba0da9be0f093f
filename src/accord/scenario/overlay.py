"""What-if overlays: a small YAML file that patches a base scenario.

    overlay: {id: early-refocus, title: Moscow refocuses early, description: ...}
    events:
      - id: us_russia_deal            # items of id'd lists are matched by id
        hazard: {value: 0.2, assumption: "a deal is close"}
      - id: new_event                 # a new item says so
        add: true
        name: ...

Mappings merge key by key; parameters (a number or distribution) and lists without ids are
replaced whole; `key: null` removes a key (to change an event's way of happening). An overlay
that names an id the base does not have is an error at the overlay's line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import Problem, UserError
from accord.scenario.loader import Loaded, builtin_root, load_scenario, parse_scenario
from accord.scenario.yamlio import (
    dump_yaml,
    field_path,
    line_of,
    load_yaml,
    parse_path,
    read_text,
)

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

SECTIONS = ("meta", "actors", "issues", "events", "questions")
PARAM_KEYS = {
    "capability", "position", "salience", "status_quo", "hazard", "chance", "repeatable",
    "multiply", "scheduled",
}
ID_LISTS = {"actors", "issues", "events", "questions", "sources"}


def _line(node: Any, key: Any) -> int | None:
    try:
        if isinstance(node, dict):
            return node.lc.key(key)[0] + 1
        if isinstance(node, list):
            return node.lc.item(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return None


class _Merger:
    """Merges an overlay into a base tree. `path` is where a node sits in the overlay (for the
    overlay's own errors), `at` where it lands in the merged scenario; `origin` keeps, for each
    merged path the overlay wrote, its path in the overlay (for the merged scenario's errors)."""

    def __init__(self, name: str, root: Any) -> None:
        self.name, self.root = name, root  # the overlay's file name and tree
        self.problems: list[Problem] = []
        self.origin: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def fail(self, msg: str, node: Any, key: Any, path: tuple[Any, ...]) -> None:
        self.problems.append(Problem(msg, self.name, _line(node, key), field_path(path)))

    # The trees are ruamel's round trip (CommentedMap and CommentedSeq, a dict and a list): ruamel
    # is imported only where an overlay is applied.
    def mapping(self, base: CommentedMap, patch: CommentedMap, path: tuple[Any, ...],
                at: tuple[Any, ...]) -> None:
        for key, value in patch.items():
            here, there = (*path, key), (*at, key)
            if key == "add" and path and isinstance(path[-1], int):
                continue
            if value is None:
                base.pop(key, None)
            elif key in PARAM_KEYS or not isinstance(value, dict | list):
                base[key] = copy.deepcopy(value)
                self.origin[there] = here
            elif key in ID_LISTS and isinstance(value, list):
                if not isinstance(base.get(key), list):
                    from ruamel.yaml.comments import CommentedSeq

                    base[key] = CommentedSeq()
                self.items(base[key], value, key, here, there)
            elif isinstance(value, dict) and isinstance(base.get(key), dict):
                self.mapping(base[key], value, here, there)
            else:
                base[key] = copy.deepcopy(value)
                self.origin[there] = here

    def items(self, base: CommentedSeq, patch: CommentedSeq, key: str, path: tuple[Any, ...],
              at: tuple[Any, ...]) -> None:
        index = {item.get("id"): i for i, item in enumerate(base) if isinstance(item, dict)}
        done: dict[str, int] = {}
        for j, item in enumerate(patch):
            if not isinstance(item, dict) or "id" not in item:
                self.fail("each overlay item needs the id of the item it changes", patch, j, path)
                continue
            if not isinstance(item["id"], str):
                self.fail("an id is text (letters, digits and '_')", item, "id", (*path, j, "id"))
                continue
            if not isinstance(item.get("add", False), bool):
                self.fail("write add: true (a new item) or leave add out", item, "add",
                          (*path, j, "add"))
                continue
            if item["id"] in done:
                self.fail(f"'{item['id']}' is already changed by item {done[item['id']]} of "
                          "this list: change it once", item, "id", (*path, j, "id"))
                continue
            done[item["id"]] = j
            if item.get("add") is True:
                if item["id"] in index:
                    self.fail(f"'{item['id']}' already exists in {key}", patch, j, (*path, j))
                    continue
                new = copy.deepcopy(item)
                new.pop("add")
                self.origin[(*at, len(base))] = (*path, j)
                base.append(new)
            elif item["id"] not in index:
                known = ", ".join(str(k) for k in index)
                self.fail(
                    f"unknown id '{item['id']}' in {key} (known: {known}; "
                    "to add a new one, give it `add: true`)", patch, j, (*path, j, "id"),
                )
            else:
                self.mapping(base[index[item["id"]]], item, (*path, j), (*at, index[item["id"]]))

    def locate(self, p: Problem, base: Loaded) -> Problem:
        """A problem of the merged scenario at the line of the file it comes from: the
        overlay's where the overlay wrote that field (or a node above it), else the base's."""
        if not p.field:
            return p
        loc = parse_path(p.field)
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.origin:
                where = (*self.origin[loc[:n]], *loc[n:])
                return replace(p, file=self.name, line=line_of(self.root, where),
                               field=field_path(where))
        return replace(p, file=base.name, line=line_of(base.tree, loc))


def builtin_overlays() -> list[str]:
    root = builtin_root() / "overlays"
    return sorted(p.name.removesuffix(".yaml") for p in root.iterdir() if p.name.endswith(".yaml"))


def resolve_overlay(ref: str) -> tuple[str, str, Path | None]:
    """(text, name, folder) of an overlay file, or of a built-in overlay by name."""
    path = Path(ref)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in ref:
        return read_text(path, "overlay file"), str(path), path.parent
    if ref in builtin_overlays():
        text = (builtin_root() / "overlays" / f"{ref}.yaml").read_text("utf-8")
        return text, f"builtin-overlay:{ref}", None
    raise UserError.at(
        f"no overlay file or built-in overlay named '{ref}' "
        f"(built-in: {', '.join(builtin_overlays())})", field="with",
    )


INFO_FIELDS = ("id", "title", "description")


def _check_shape(patch: CommentedMap, merger: _Merger) -> None:
    """The overlay's sections have the shape the merge relies on: `overlay` and `meta` are
    mappings, the id'd lists lists, the header's fields text. A section set to null or to a
    value of another shape would otherwise replace the base's whole section."""
    for key, value in patch.items():
        if key not in (*SECTIONS, "overlay", "observed"):
            merger.fail(f"unknown section '{key}' (allowed: overlay, {', '.join(SECTIONS)}, "
                        "observed)", patch, key, (key,))
        elif key in ("overlay", "meta") and not isinstance(value, dict):
            what = ", ".join(INFO_FIELDS) if key == "overlay" else "the meta fields to change"
            merger.fail(f"write fields here ({what}), one per line as name: value", patch, key,
                        (key,))
        elif key in ID_LISTS and not isinstance(value, list):
            merger.fail("write a list here (one '- id: ...' line per item it changes)", patch,
                        key, (key,))
    info = patch.get("overlay")
    if isinstance(info, dict):
        for k, v in info.items():
            if k not in INFO_FIELDS:
                merger.fail(f"unknown field '{k}' (allowed: {', '.join(INFO_FIELDS)})", info, k,
                            ("overlay", k))
            elif not isinstance(v, str) or not v.strip() or (
                    k == "id" and not ID_TEXT.fullmatch(v)):
                need = "an id: letters, digits, '_', '-' or '.'" if k == "id" else "text"
                merger.fail(f"write {need} here", info, k, ("overlay", k))


ID_TEXT = re.compile(r"[A-Za-z0-9_.-]+")


def apply_overlay(base: Loaded, ref: str) -> Loaded:
    """The base scenario with the overlay applied, validated like any scenario."""
    text, name, folder = resolve_overlay(ref)
    patch = load_yaml(text, name)
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(patch, dict):
        raise UserError.at("an overlay must be a YAML mapping", file=name, line=1)
    merger = _Merger(name, patch)
    _check_shape(patch, merger)
    if merger.problems:
        raise UserError(merger.problems)
    tree = copy.deepcopy(base.tree)
    info = patch.get("overlay") or {}
    body = CommentedMap((k, v) for k, v in patch.items() if k != "overlay")
    for k in patch:
        if k in body:
            body.lc.add_kv_line_col(k, patch.lc.key(k) + patch.lc.value(k))
    merger.mapping(tree, body, (), ())
    if merger.problems:
        raise UserError(merger.problems)
    stem = Path(name.split(":")[-1]).stem
    oid = str(info.get("id") or re.sub(r"[^A-Za-z0-9_.-]", "-", stem))
    if "meta" not in body or "id" not in body.get("meta", {}):
        tree["meta"]["id"] = f"{tree['meta']['id']}--{oid}"[:80]
    if info.get("title") and ("meta" not in body or "title" not in body.get("meta", {})):
        tree["meta"]["title"] = f"{tree['meta']['title']} — {info['title']}"
    merged = dump_yaml(tree)
    dirs = [*base.source_dirs, *([folder] if folder else [])]
    try:
        loaded = parse_scenario(
            merged, f"{base.name} + {name}", source_dirs=dirs, require_texts=base.require_texts
        )
    except UserError as exc:  # the merged text's lines are in neither file
        raise UserError([merger.locate(p, base) for p in exc.problems]) from None
    loaded.warnings = [merger.locate(p, base) for p in loaded.warnings]
    return loaded


def load_with_overlays(
    ref: str | None, overlays: list[str], *, sources: Path | None = None
) -> Loaded:
    """A scenario with its what-if overlays applied in order."""
    loaded = load_scenario(ref, sources=sources)
    for o in overlays:
        loaded = apply_overlay(loaded, o)
    return loaded
