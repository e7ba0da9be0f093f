"""Is the text English? The drafter's words, cues and typology are English: a text in another
language would draft to nothing or to nonsense, so it is refused (or, mixed, its other
sentences are skipped and said so) instead."""

from __future__ import annotations

import re

from accord.draft.sentences import Sentence
from accord.errors import UserError

# the commonest English function words: about four words in ten of English prose are these,
# few of French, German or Spanish (some, "a", "in", "on", are shared: hence a low bar)
FUNCTION_WORDS = frozenset(
    "the of and to a in is that for it as was with be by on not he this are or his from at "
    "which but have an they has had were their been would will its there can could should "
    "may might who what if than into also more about after over these those them such".split())
# the commonest function words of the languages a negotiation text is most often in besides
# English (French, Spanish, Portuguese, Italian, German, Dutch): a short English sentence (a
# headline, "Beijing wants the route secured before construction resumes") has few English
# function words but none of these, and is English
OTHER_FUNCTION_WORDS = frozenset(
    "le la les des du de et est une un au aux sur pour par avec dans qui que ne pas sont ont "
    "el los las y en por con para del al es lo se su una como pero o os as do da dos das em "
    "com não uma il di che e per non della delle degli sono der die das und ist nicht ein eine "
    "mit auf für von zu den dem im het een van en op voor niet zijn".split()) - FUNCTION_WORDS
MIN_SHARE = 0.15  # of a text's words; English prose is above 0.3
MIN_WORDS = 8  # a shorter sentence or text says too little to judge
MIN_LETTERS, MIN_LATIN = 20, 0.5  # a text mostly in another script
WORD = re.compile(r"\w+", re.UNICODE)


def english_share(text: str) -> tuple[float, int]:
    """The share of the text's words that are English function words, and how many words."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return 0.0, 0
    return sum(w in FUNCTION_WORDS for w in words) / len(words), len(words)


def is_english(text: str) -> bool:
    """Too short to judge, or enough English function words, or (a headline, a short plain
    sentence) in Latin letters with no more function words of another language than of
    English."""
    share, n = english_share(text)
    if n < MIN_WORDS or share >= MIN_SHARE:
        return True
    words = [w.lower() for w in WORD.findall(text)]
    other = sum(w in OTHER_FUNCTION_WORDS for w in words) / len(words)
    latin, letters = latin_share(text)
    return other <= share and (letters < MIN_LETTERS or latin >= MIN_LATIN)


def latin_share(text: str) -> tuple[float, int]:
    """The share of the text's letters that are Latin (a-z, A-Z), and how many letters."""
    letters = [c for c in text if c.isalpha()]
    return (sum(c.isascii() for c in letters) / len(letters) if letters else 0.0), len(letters)


def require_english(text: str, name: str) -> None:
    """A UserError naming the file if the text as a whole does not read as English."""
    latin, letters = latin_share(text)
    if letters >= MIN_LETTERS and latin < MIN_LATIN:
        raise UserError.at(f"the text does not read as English (only {latin:.0%} of its letters "
                           "are Latin): accord draft reads English texts only", file=name)
    share, n = english_share(text)
    if n >= MIN_WORDS and share < MIN_SHARE:
        raise UserError.at(f"the text does not read as English ({share:.0%} of its {n} words "
                           "are common English words): accord draft reads English texts only",
                           file=name)


def english_sentences(sentences: list[Sentence]) -> tuple[list[Sentence], list[str]]:
    """The sentences that read as English, and a review line for the others, if any."""
    kept = [s for s in sentences if is_english(s.text)]
    skipped = len(sentences) - len(kept)
    note = [f"{skipped} sentence(s) not in English skipped (accord draft reads English only)"]
    return kept, note if skipped else []
