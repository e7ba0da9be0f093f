"""The numbers of a draft: the text's own, quoted, or wide defaults labelled for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.draft.cues import source_of

DRAFTED = "drafted: the text gives no number; review"
DEFAULT_HAZARD = {"dist": "beta", "a": 1, "b": 20}  # mean 1/21 a month: rare but possible
DEFAULT_CHANCE = {"low": 0.1, "high": 0.9}  # a one-off outcome the text expects: anything
DEFAULT_CAPABILITY = {"low": 1, "high": 100}  # relative weight, 0-100: anything at all
DEFAULT_MULTIPLIER = {"low": 1, "high": 3}  # "makes it likelier": by up to three times
DEFAULT_DAMPER = {"low": 0.25, "high": 1}  # "makes it less likely": down to a quarter
DEFAULT_POSITION = {"low": 0, "high": 100}
DEFAULT_SALIENCE = {"low": 0.2, "high": 1}


def evidence(source: str, quotes: list[str]) -> list[dict[str, str]]:
    return [{"source": source, "quote": q} for q in quotes]


def drafted(default: dict[str, Any], source: str | None = None,
            quotes: list[str] | None = None) -> dict[str, Any]:
    """A wide default, with the quotes it was drafted from and the assumption that says so."""
    out = dict(default)
    if source is not None and quotes:
        out["evidence"] = evidence(source, quotes)
    out["assumption"] = DRAFTED
    return out


def monthly(p: float, months: int) -> float:
    """The constant monthly hazard with chance p over `months`: 1 − (1 − p)^(1/months)."""
    return 1.0 - (1.0 - p) ** (1.0 / months) if p < 1 else 1.0


def _over(months: int, by: dt.date | None) -> str:
    return f"by {by.isoformat()} ({months} months)" if by else f"over the horizon ({months} months)"


def monthly_from_words(chance: tuple[float, float], words: str, months: int, source: str,
                       quote: str, by: dt.date | None = None) -> dict[str, Any]:
    """A chance the text states as a range ("55-80%") or in words ("unlikely": the range ICD
    203 gives them, else Sherman Kent's table), as a uniform range of constant monthly
    hazards over `months`."""
    low, high = chance
    standard = "" if any(c.isdigit() for c in words) else f" ({source_of(words)}'s range)"
    return {
        "dist": "uniform",
        "low": round(monthly(low, months), 6),
        "high": round(monthly(high, months), 6),
        "evidence": evidence(source, [quote]),
        "assumption": f"the text's \"{words}\" read as {low:.0%}-{high:.0%}{standard} "
        f"{_over(months, by)}, spread evenly as a monthly hazard; review",
    }


def monthly_from_text(p: float, months: int, source: str, quote: str,
                      by: dt.date | None = None) -> dict[str, Any]:
    """The text's probability over `months` (to its date `by`, else the horizon) as a constant
    monthly hazard: 1 − (1 − p)^(1/months)."""
    over = _over(months, by)
    return {
        "value": round(monthly(p, months), 6),
        "evidence": evidence(source, [quote]),
        "assumption": f"the text's {p:.0%} read as the chance {over} and spread evenly as a "
        "monthly hazard; review",
    }
