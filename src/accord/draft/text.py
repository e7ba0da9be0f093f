"""The article: read it, refuse what is not text, extract HTML's text, and keep quotes honest."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from accord.errors import UserError
from accord.scenario.evidence import normalise, quote_occurs
from accord.scenario.yamlio import MAX_BYTES, decode, read_text

_HTML = re.compile(r"<\s*(html|body|p|div|article|head|!doctype)\b", re.IGNORECASE)
MIN_FRAGMENT_WORDS = 4
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd"]


@dataclass(frozen=True)
class Article:
    """What the draft reads (`text`) and what the quotes are checked against (`verify`)."""

    text: str
    verify: str  # normalised as accord's evidence checker normalises the source file
    name: str  # for messages: the path, or "<stdin>"
    file: str | None  # the plain file name that meta.sources names, when there is a file


def read_article(path: str) -> Article:
    """A file's text (or standard input's for `-`); a UserError naming it when it is not text."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise UserError.at(f"text is larger than {MAX_BYTES / 1e6:.0f} MB", file="<stdin>")
        return article_of(decode(data, "<stdin>", "article"), "<stdin>", None)
    p = Path(path)
    return article_of(read_text(p, "article"), path, p.name)


def article_of(raw: str, name: str, file: str | None) -> Article:
    """The article of raw text or HTML (HTML's readable text extracted with BeautifulSoup)."""
    if len(raw.encode("utf-8", "ignore")) > MAX_BYTES:
        raise UserError.at(f"text is larger than {MAX_BYTES / 1e6:.0f} MB", file=name)
    text = html_text(raw) if _HTML.search(raw[:4000]) else raw
    text = CONTROL.sub(" ", text)  # YAML cannot hold them; a quote holding one is not checked
    if not text.strip():
        raise UserError.at("article has no text", file=name, line=1)
    return Article(text=text, verify=normalise(raw), name=name, file=file)


def html_text(raw: str) -> str:
    """The visible text of an HTML page, one block per line, without scripts and styles."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "svg", "nav", "footer"]):
        tag.decompose()
    blocks = [b for b in soup.find_all(_BLOCKS) if not b.find(_BLOCKS)]
    if not blocks:
        return soup.get_text("\n")
    return "\n\n".join(b.get_text("") for b in blocks)


def as_quote(span: str) -> str:
    """A span of the text as a one-line quote: line-end hyphens kept joined, spaces collapsed."""
    span = re.sub(r"([-‐‑])\s*\n\s*", r"\1", span)
    return re.sub(r"\s+", " ", span).strip()


def checked_quote(quote: str, article: Article) -> str | None:
    """The quote if the evidence checker will find it, else its longest part that it will find
    (split at punctuation, at least a few words), else None: never a paraphrase."""
    if quote_occurs(quote, article.verify):
        return quote
    parts = sorted(
        (p.strip() for p in re.split(r"[,;:()\"“”—–]|\s-\s", quote)), key=len, reverse=True
    ) + sorted(  # then what lies between characters a page may have written as entities
        (p.strip() for p in re.split(r"[^A-Za-z0-9 .,;:!?()-]", quote)), key=len, reverse=True
    )
    for part in parts:
        if len(part.split()) >= MIN_FRAGMENT_WORDS and quote_occurs(part, article.verify):
            return part
    return None
