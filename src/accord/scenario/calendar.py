"""Calendar months as integers, so that months compare, add and subtract as numbers."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

DAYS_PER_MONTH = 365.25 / 12  # a month as a length of time (drafts' spans, reference classes)


class YearMonth(Protocol):
    """A date, or anything else with a year and a month (a condition's date literal)."""

    @property
    def year(self) -> int: ...

    @property
    def month(self) -> int: ...


def month_number(d: YearMonth) -> int:
    """Months since January of year 0: year × 12 + month − 1."""
    return d.year * 12 + d.month - 1


def add_months(date: dt.date, months: int) -> dt.date:
    """`date` + months, the day clipped to the month's length."""
    idx = month_number(date) + months
    year, month = divmod(idx, 12)
    month += 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(date.day, (nxt - dt.timedelta(days=1)).day))
