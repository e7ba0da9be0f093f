"""The numbers of a draft: the text's own, quoted, or wide defaults labelled for review."""

from __future__ import annotations

from typing import Any

DRAFTED = "drafted: the text gives no number; review"
DEFAULT_HAZARD = {"dist": "beta", "a": 1, "b": 20}  # mean 1/21 a month: rare but possible
DEFAULT_CAPABILITY = {"low": 1, "high": 100}  # relative weight, 0-100: anything at all
DEFAULT_MULTIPLIER = {"low": 1, "high": 3}  # "makes it likelier": by up to three times
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


def monthly_from_text(p: float, horizon: int, source: str, quote: str) -> dict[str, Any]:
    """The text's probability over the horizon as a constant monthly hazard."""
    monthly = 1.0 - (1.0 - p) ** (1.0 / horizon) if p < 1 else 1.0
    return {
        "value": round(monthly, 6),
        "evidence": evidence(source, [quote]),
        "assumption": f"the text's {p:.0%} read as the chance over the horizon ({horizon} months) "
        "and spread evenly as a monthly hazard; review",
    }
