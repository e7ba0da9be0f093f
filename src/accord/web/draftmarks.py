"""The text of a draft under review as HTML: each sentence an element quotes marked, with the
elements' tags (A1 an actor, E2 an event, L3 a link, N4 a number) after it, and the actors'
names marked where the text writes them; what the analyst dropped struck through."""

from __future__ import annotations

import html
from collections.abc import Iterable

from accord.draft.sentences import Sentence
from accord.web.draftreview import Decision, Element, mentions, sentence_of

LETTER = {"actor": "A", "event": "E", "link": "L", "number": "N"}


def tags(found: list[Element]) -> dict[str, str]:
    """Each element's tag, numbered within its kind in the draft's order: "E3"."""
    count: dict[str, int] = {}
    out = {}
    for e in found:
        count[e.kind] = count.get(e.kind, 0) + 1
        out[e.key] = f"{LETTER[e.kind]}{count[e.kind]}"
    return out


def placed(found: list[Element], sentences: list[str]) -> dict[int, list[Element]]:
    """Sentence index → the events, links and numbers that quote it (an actor is marked on its
    names instead)."""
    out: dict[int, list[Element]] = {}
    for e in found:
        if e.kind == "actor":
            continue
        for i in dict.fromkeys(sentence_of(q, sentences) for q in e.quotes):
            if i is not None:
                out.setdefault(i, []).append(e)
    return out


def _names(sentence: str, actors: Iterable[tuple[Element, bool]]) -> str:
    """The sentence, escaped, with each actor's names wrapped in its mark."""
    spans: list[tuple[int, int, Element, bool]] = []
    for e, dropped in actors:
        pat = mentions(e.names)
        if pat is not None:
            spans += [(m.start(), m.end(), e, dropped) for m in pat.finditer(sentence)]
    out, at = [], 0
    for start, end, e, dropped in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < at:
            continue
        out.append(html.escape(sentence[at:start]))
        cls = "accord-mark-actor" + (" accord-dropped" if dropped else "")
        out.append(f'<span class="{cls}" title="{html.escape(e.label)}">'
                   f"{html.escape(sentence[start:end])}</span>")
        at = end
    out.append(html.escape(sentence[at:]))
    return "".join(out)


def marked_html(sentences: list[Sentence], found: list[Element],
                decisions: dict[str, Decision]) -> str:
    """The text, paragraph by paragraph, with its marks and tags."""
    tag = tags(found)
    texts = [s.text for s in sentences]
    where = placed(found, texts)
    actors = [(e, decisions.get(e.key, Decision()).drop) for e in found if e.kind == "actor"]
    paras: dict[int, list[str]] = {}
    for i, s in enumerate(sentences):
        body = _names(s.text, actors)
        here = where.get(i, [])
        if here:
            marks = "".join(
                f'<span class="accord-tag accord-tag-{e.kind}'
                f'{" accord-dropped" if decisions.get(e.key, Decision()).drop else ""}" '
                f'title="{html.escape(e.label)}">{tag[e.key]}</span>' for e in here)
            body = (f'<mark class="accord-mark" id="accord-s-{i}">{body}</mark>'
                    f'<sup class="accord-tags">{marks}</sup>')
        paras.setdefault(s.paragraph, []).append(body)
    return "".join(f"<p>{' '.join(p)}</p>" for _, p in sorted(paras.items()))


CSS = """
.accord-draft-text{max-height:70vh;overflow-y:auto;line-height:1.6;font-size:.95rem;
padding:.5rem 1rem;border:1px solid #ddd;border-radius:4px;background:#fff}
.accord-draft-text p{margin:0 0 .8rem 0}
.accord-mark{background:#fff4c2;padding:0 .1rem}
.accord-mark-actor{border-bottom:2px solid #2563eb}
.accord-tags{margin-left:.15rem;white-space:nowrap}
.accord-tag{display:inline-block;font-size:.68rem;font-weight:700;line-height:1;color:#fff;
border-radius:3px;padding:.12rem .25rem;margin-right:.12rem;vertical-align:super}
.accord-tag-actor{background:#2563eb}.accord-tag-event{background:#b45309}
.accord-tag-link{background:#7c3aed}.accord-tag-number{background:#047857}
.accord-dropped{text-decoration:line-through;opacity:.45}
.accord-review-side{flex:1 1 26rem;min-width:0}
.accord-review-title{flex:1 1 20rem;min-width:0}
.accord-review-text{flex:1 1 30rem;min-width:0;position:sticky;top:3.5rem;align-self:flex-start}
.accord-element{width:100%;border-bottom:1px solid #eee;padding:.1rem 0;flex-wrap:nowrap}
.accord-element .accord-item-text{flex:1 1 12rem;min-width:0}
.accord-element .accord-tag{vertical-align:baseline;margin-top:.7rem;text-decoration:none}
.accord-element-name .q-field__control,.accord-element-name .q-field__native{min-height:1.9rem;
height:1.9rem;font-size:.9rem}
.accord-review-asof-note{margin-top:-.6rem}
@media (max-width:700px){.accord-review-text{position:static}
.accord-draft-text{max-height:none}}
"""
