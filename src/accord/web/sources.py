"""The sentences of a scenario's source texts in the workspace, for picking a number's quote:
a sentence picked from the text is a quote `accord validate` finds there."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from accord.errors import UserError
from accord.scenario.evidence import find_source_text
from accord.scenario.model import Scenario
from accord.scenario.yamlio import read_text

MAX_SENTENCES = 2000  # per source: a picker, not a reader


@lru_cache(maxsize=16)
def _sentences(path: str, stamp: tuple[int, int]) -> tuple[str, ...]:
    from accord.draft.sentences import split_sentences

    try:
        text = read_text(Path(path), "source text")
    except UserError:
        return ()
    return tuple(s.text for s in split_sentences(text)[:MAX_SENTENCES])


def source_sentences(scenario: Scenario, dirs: list[Path]) -> list[tuple[str, str]]:
    """(source id, sentence) for every source whose text file is in `dirs` (the folder beside
    the scenario), in the text's order."""
    out: list[tuple[str, str]] = []
    for src in scenario.meta.sources:
        path = find_source_text(src.file, dirs) if src.file else None
        if path is None:
            continue
        st = path.stat()
        out += [(src.id, s) for s in _sentences(str(path), (st.st_mtime_ns, st.st_size))]
    return out
