"""Sentences, paragraph by paragraph (pysbd), each in the one-line form a quote takes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from accord.draft.text import as_quote

MAX_SENTENCE_WORDS = 120  # longer "sentences" are lists or layout debris, not claims
# pysbd's time grows with the square of a block's length (each abbreviation-like word rescans
# the block): a longer paragraph is cut into pieces at a sentence end, else at a space (what
# that cuts is over MAX_SENTENCE_WORDS, and dropped anyway)
MAX_BLOCK = 2000


@dataclass(frozen=True)
class Sentence:
    text: str  # one line, as quoted
    index: int  # order in the text
    paragraph: int


@cache
def _segmenter():  # noqa: ANN202 - pysbd has no type hints
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines, their hard line breaks joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [as_quote(p) for p in re.split(r"\n\s*\n|\n(?=\s*(?:[-*•▪–]|\d{1,2}[.)])\s)", text)
            if p.strip()]


def blocks(para: str, limit: int = MAX_BLOCK) -> list[str]:
    """The paragraph in pieces of at most `limit` characters, cut after a sentence's end where
    there is one in the piece's second half, else at its last space."""
    out = []
    while len(para) > limit:
        head = para[:limit]
        ends = [m.end() for m in re.finditer(r"[.!?][\"”’)]?\s", head) if m.end() > limit // 2]
        cut = ends[-1] if ends else (head.rfind(" ") + 1 or limit)
        out.append(para[:cut])
        para = para[cut:]
    return [*out, para]


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for k, para in enumerate(paragraphs(text)):
        for s in (s for block in blocks(para) for s in _segmenter().segment(block)):
            s = s.strip()
            if s and len(s.split()) <= MAX_SENTENCE_WORDS:
                out.append(Sentence(text=s, index=len(out), paragraph=k))
    return out
