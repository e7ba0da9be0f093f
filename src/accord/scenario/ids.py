"""Ids made from names: short, readable, ASCII ('Vučić' → 'vucic', 'Association of
Serb-majority Municipalities (ASM)' → 'asm'), valid in the condition grammar and unique.

Transliteration is anyascii's (every script, not only accents), so a name in Cyrillic or Greek
gets a readable id too, not a row of underscores.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from accord.scenario import conditions

MAX_ID = 32  # whole words up to this many characters: ids are typed in conditions
SMALL_WORDS = {"a", "an", "the", "of", "and", "for", "to", "in", "on", "at", "by", "with"}
ACRONYM = re.compile(r"\(([A-Z][A-Z0-9]{1,7})\)")


def slug(text: str) -> str:
    """The text in lower-case ASCII words joined by '_'."""
    return re.sub(r"[^a-z0-9]+", "_", anyascii(text).lower()).strip("_")


def readable_id(name: str, taken: set[str] | None = None) -> str:
    """An id for a name: its acronym where it gives one in brackets, else its words (small
    words dropped once it runs long) up to MAX_ID characters; unique among `taken` (_2, _3)."""
    acronym = ACRONYM.search(name)
    words = slug(acronym[1] if acronym else name).split("_")
    if len("_".join(words)) > MAX_ID:
        words = [w for w in words if w not in SMALL_WORDS] or words
    base = ""
    for w in words:
        if base and len(base) + 1 + len(w) > MAX_ID:
            break
        base = f"{base}_{w}" if base else w[:MAX_ID]
    base = base or "item"
    if base[0].isdigit() or base in conditions.KEYWORDS:
        base = "x_" + base
    out, n = base, 2
    while taken and out in taken:
        out, n = f"{base}_{n}", n + 1
    return out
