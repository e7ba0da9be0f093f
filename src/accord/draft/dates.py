"""Dates in a sentence (dateparser, relative to as-of) and the as-of date a text states."""

from __future__ import annotations

import datetime as dt
import re

from accord.draft.cues import MONTH
from accord.scenario.calendar import month_number

_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"  # the next one
CANDIDATE = re.compile(
    rf"\b(?:{_DAY}\s+(?:of\s+)?{MONTH}(?:,?\s*\d{{4}})?|{MONTH}\s+{_DAY}(?:,\s*|\s+|,)?(?:\d{{4}})?"
    rf"|{MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?<=\bin\s){MONTH}|(?<=\bby\s){MONTH}"
    rf"|(?<=\bend of\s){MONTH}|(?<=\bon\s){WEEKDAY}|(?<=\bnext\s){WEEKDAY})(?!\w)"
)
# a day with its month and year ("2 June 2026", "June 2, 2026"): a date the text fixes alone
FULL_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+{MONTH}\s+\d{{4}}|{MONTH}\s+\d{{1,2}},?\s+\d{{4}})\b")
# "by June", "before the end of 2026", "before the Osk election in September 2027"
DEADLINE = re.compile(r"\b(?:by|before|no later than|until|ahead of)\s+(?:the\s+end\s+of\s+|"
                      r"(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:in|on|of)\s+)?$", re.IGNORECASE)
FIRST_LINES = 12
# "by the end of 2026", "before the end of the year": 31 December (of as-of's year)
YEAR_END = re.compile(r"(?<=\bend of )(?:\d{4}\b|(?:the|this) year\b)")
# "before 2028": by 31 December 2027; "by 2028": by the end of 2028
BY_YEAR = re.compile(r"(?:(?<=\b[Bb]efore )|(?<=\b[Bb]y ))(?:19|20)\d\d\b(?![-/]\d)")
END_OF = re.compile(r"\bend\s+of\s+$", re.IGNORECASE)  # "the end of June": its last day


def parse_date(text: str, base: dt.date | None = None) -> dt.date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        settings["PREFER_DATES_FROM"] = "future"
    text = re.sub(r",(\d{4})", r", \1", text)  # "April 03,2025"
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return None
    return found.date() if found is not None else None


def dates_in(sentence: str, as_of: dt.date) -> list[tuple[dt.date, bool]]:
    """(date, is a deadline) for every date the sentence names on or after as-of."""
    found = [(m, _date(m, sentence, as_of)) for m in CANDIDATE.finditer(sentence)]
    found += [(m, dt.date(int(m.group()) if m.group().isdigit() else as_of.year, 12, 31))
              for m in YEAR_END.finditer(sentence)]
    found += [(m, dt.date(int(m.group()) - sentence[: m.start()].lower().endswith("before "),
                          12, 31)) for m in BY_YEAR.finditer(sentence)]
    return [(d, DEADLINE.search(sentence[: m.start()]) is not None)
            for m, d in sorted(found, key=lambda x: x[0].start())
            if d is not None and d >= as_of]


RECENT_MONTHS = 3  # "clashes erupted in August", written in September: last August


def _date(m: re.Match[str], sentence: str, as_of: dt.date) -> dt.date | None:
    """The date a candidate names; a month named alone that ended in the last few months is
    the past one, not next year's (none)."""
    d = parse_date(m.group(), as_of)
    if d is not None and re.fullmatch(MONTH, m.group()) and \
            0 < (as_of.month - d.month) % 12 <= RECENT_MONTHS and \
            not re.match(r"\s+next\s+year\b", sentence[m.end():]):
        return None
    if d is None or not END_OF.search(sentence[: m.start()]):
        return d
    return add_months(d.replace(day=1), 1) - dt.timedelta(days=1)


# a date after one of these words dates something the text tells of ("made public since
# September 2022", "signed in March 2021"), not the text itself
TOLD_OF = re.compile(r"\b(?:since|in|from|until|till|after|before|by|during|throughout|"
                     r"between|and|to|of|as early as|as late as|as of)\s+(?:the\s+)?$",
                     re.IGNORECASE)


# where a dateline puts the date: "BRUSSELS, 18 March 2023", "Published on 4 March 2026"
DATELINE = re.compile(r"^\W*(?:[A-Z][\w .'’-]*,\s*|(?:published|updated|posted|dated)"
                      r"(?:\s+on)?:?\s*)?$", re.IGNORECASE)


def _dateline(line: str, start: int) -> bool:
    """Whether a date at `start` stands where a text's own date does: on a short line, or
    after a place or 'Published on' at the line's head, never in the middle of a sentence."""
    before = line[:start]
    return len(line.split()) <= 10 or (DATELINE.match(before) is not None
                                       and not TOLD_OF.search(before))


def stated_date(text: str) -> tuple[dt.date, int] | None:
    """The text's own date: the first date with a year in its first lines that is its
    dateline, not an event it tells of. A full date (with its day) comes first; a month and
    year counts only on a short line of its own ("March 2025")."""
    month_only: tuple[dt.date, int] | None = None
    for k, line in enumerate(text.splitlines()[:FIRST_LINES], start=1):
        for m in CANDIDATE.finditer(line):
            if (not re.search(r"\d{4}", m.group()) or TOLD_OF.search(line[: m.start()])
                    or not _dateline(line, m.start())):
                continue
            d = parse_date(m.group())
            if d is None:
                continue
            if re.search(r"\d{4}-\d\d-\d\d|\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)",
                         m.group().replace(re.search(r"\d{4}", m.group()).group(), "")):
                return d, k
            if month_only is None and len(line.split()) <= 6:
                month_only = d, k
    return month_only


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (the 28th where the month is shorter)."""
    index = month_number(d) + months
    return dt.date(index // 12, index % 12 + 1, min(d.day, 28))
