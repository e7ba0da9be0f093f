"""MkDocs hook: the drafting reference's two tables, generated so they cannot drift.

``<!-- accord-typology -->`` becomes the typology of event kinds, read from
``accord.draft.typology.KINDS``; ``<!-- accord-frozen-6 -->`` becomes the scores of the six
frozen texts, ``<!-- accord-frozen2-6 -->`` those of the second set (frozen before the
precision work), ``<!-- accord-frozen3-6 -->``, ``<!-- accord-frozen4-6 -->`` and
``<!-- accord-frozen5-6 -->`` the third's, fourth's and fifth's (written blind to the
drafter), and
``<!-- accord-tuning -->`` the tuning set's, measured by
``scripts/draft_evaluation.py`` as the docs are built.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

TYPOLOGY = "<!-- accord-typology -->"
SETS = {"<!-- accord-frozen-6 -->": "frozen", "<!-- accord-frozen2-6 -->": "frozen2",
        "<!-- accord-frozen3-6 -->": "frozen3", "<!-- accord-frozen4-6 -->": "frozen4",
        "<!-- accord-frozen5-6 -->": "frozen5"}
TUNING = "<!-- accord-tuning -->"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "draft_evaluation.py"
WHAT = {"agreement": "agreement", "truce": "ceasefire", "sanction": "sanctions",
        "crisis": "crisis"}  # the object a sample name shows


def _words(words: frozenset[str]) -> str:
    return ", ".join(sorted(words)) or "—"


def typology_table() -> str:
    """One row per kind: its PLOVER type, signal words, name, whom it is about, its class."""
    from accord.draft.typology import KINDS

    rows = ["| kind | PLOVER | verbs (lemmas) | with one of | or alone | name | about "
            "| reference class |", "|---|---|---|---|---|---|---|---|"]
    for k in KINDS:
        what = next((w for key, w in WHAT.items() if key in k.objects), "")
        name = k.plural.format(who="A and B", what=what)
        about = "two sides" if k.sides == 2 else "a state" if k.state else "one actor"
        ref = (f"`{k.reference}`" + (" (texts on a conflict or crisis)" if k.conflict_only
                                     else "")) if k.reference else "—"
        rows.append(f"| `{k.id}` | {k.plover} | {_words(k.verbs)} | {_words(k.objects)} "
                    f"| {_words(k.alone)} | {name} | {about} | {ref} |")
    return "\n".join(rows)


def _evaluation() -> Any:
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))
    import draft_evaluation

    return draft_evaluation


def frozen_table(which: str = "frozen") -> str:
    ev = _evaluation()
    return ev.table(ev.scores(which))


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs event: replace the markers with the generated tables."""
    if TYPOLOGY in markdown:
        markdown = markdown.replace(TYPOLOGY, typology_table())
    for marker, which in SETS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, frozen_table(which))
    if TUNING in markdown:
        markdown = markdown.replace(TUNING, _evaluation().tuning())
    return markdown
