"""Checking that each quoted piece of evidence really occurs in its source's text."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

UNVERIFIED = "its quotes are unverified"  # the warning when a source's text is not at hand

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "´": "'"})


def normalise(text: str) -> str:
    """Fold what layout changes: curly quotes, line-end hyphens, hyphens, runs of space, case."""
    text = text.translate(_QUOTES).replace("\u00ad", "")
    text = re.sub(r"[-‐‑–]\s*\n\s*", "", text)  # hyphenation at a line end joins the word
    text = re.sub(r"[-‐‑]", "", text)  # so "Nagorno-\nKarabakh" and "Nagorno-Karabakh" agree
    text = re.sub(r"\s+", " ", text)
    return text.strip().casefold()


def quote_occurs(quote: str, text_normalised: str) -> bool:
    q = normalise(quote)
    return bool(q) and q in text_normalised


def find_source_text(file_name: str, search_dirs: list[Path],
                     looked: list[Path] | None = None) -> Path | None:
    """The first folder's file of that name; `looked` receives every path tried."""
    for d in search_dirs:
        candidate = d / file_name
        if looked is not None:
            looked.append(candidate)
        if candidate.is_file():
            return candidate
    return None


def text_hash(text: str) -> str:
    """The SHA-256 of a source text as read (what a cached validation is checked against)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
