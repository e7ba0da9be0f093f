"""Calendar months as integers, so that months compare, add and subtract as numbers."""

from __future__ import annotations

from typing import Protocol


class YearMonth(Protocol):
    """A date, or anything else with a year and a month (a condition's date literal)."""

    @property
    def year(self) -> int: ...

    @property
    def month(self) -> int: ...


def month_number(d: YearMonth) -> int:
    """Months since January of year 0: year × 12 + month − 1."""
    return d.year * 12 + d.month - 1
