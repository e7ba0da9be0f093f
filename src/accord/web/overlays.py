"""Renaming an id in the workspace's what-if overlays of a scenario, so an overlay still applies
after the base scenario's item is renamed.

An overlay does not name its base scenario; an overlay file of the workspace (a YAML file with a
top-level `overlay:` section) is taken as one of the scenario's when every item it changes (the
items without `add: true`) is an item of the scenario: exactly the overlays that apply to it.
"""

from __future__ import annotations

import logging
from typing import Any

from accord.errors import UserError
from accord.web import builder
from accord.web.items import SECTIONS
from accord.web.workspace import Workspace, text_hash
from accord.web.yamledit import dump_tree, load_tree

log = logging.getLogger("accord.web")


def is_overlay(tree: Any) -> bool:
    return isinstance(tree, dict) and isinstance(tree.get("overlay"), dict)


def fits(overlay: Any, scenario: Any) -> bool:
    """Whether every item the overlay changes is one of the scenario's (it applies to it)."""
    for section in SECTIONS:
        items = overlay.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            return False
        known = {str(i.get("id")) for i in scenario.get(section) or [] if isinstance(i, dict)}
        for item in items:
            if not isinstance(item, dict):
                return False
            if item.get("add") is not True and str(item.get("id")) not in known:
                return False
    return True


def rename_in_overlay(overlay: Any, section: str, old: str, new: str) -> None:
    """The id renamed in one overlay's tree: the item it changes and every reference."""
    for item in overlay.get(section) or []:
        if isinstance(item, dict) and str(item.get("id")) == old:
            item["id"] = new
    builder.rename_references(overlay, section, old, new)


def rename_in_overlays(ws: Workspace, scenario_text: str, renames: list[tuple[str, str, str]]
                       ) -> list[str]:
    """Apply (section, old, new) renames, in order, to the workspace overlays that fit the
    scenario as `scenario_text` was before them; returns the overlays written. An overlay that
    cannot be read is left alone (and logged): renaming is a courtesy to it, not a duty."""
    if not renames:
        return []
    try:
        scenario = load_tree(scenario_text, "scenario")
    except UserError:  # saved as invalid before: no telling which overlays are its own
        return []
    if not isinstance(scenario, dict):  # a new file: no overlay can be its own yet
        return []
    written = []
    for path in ws.files():
        ref = ws.ref_of(path)
        try:
            text = ws.text(ref)
            overlay = load_tree(text, ref)
        except UserError:
            continue
        if not is_overlay(overlay) or not fits(overlay, scenario):
            continue
        for section, old, new in renames:
            rename_in_overlay(overlay, section, old, new)
        new_text = dump_tree(overlay, text)
        if new_text != text:
            try:
                ws.write(ref, new_text, expected=text_hash(text))
                written.append(ref)
            except UserError as exc:
                log.warning("overlay %s not renamed: %s", ref, exc)
    return written
