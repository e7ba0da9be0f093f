"""The three datasets read into cases: one row per case, its time origin, duration and outcome.

Build time only (pandas). Each reader checks that the file is the dataset it claims to be,
naming the file and the columns it lacks, so a wrong download is a user's error, not a crash.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from accord.errors import UserError
from accord.scenario.calendar import DAYS_PER_MONTH

UCDP_COLUMNS = ("pa_date", "ended", "duration", "pa_type", "incompatibility", "region")
PAX_COLUMNS = ("PP", "Dat", "Stage", "Agtp", "Contp", "Reg")
ICB_COLUMNS = ("crisno", "yrtrig", "motrig", "datrig", "yrterm", "moterm", "daterm", "forout",
               "viol")


def read(path: Path, columns: tuple[str, ...], dataset: str) -> pd.DataFrame:
    """The file as a table, refused (naming file and columns) if it lacks the dataset's."""
    try:
        frame = pd.read_csv(path, low_memory=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError.at("no such file", file=str(path)) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UserError.at(f"not a CSV file of the {dataset} ({exc.__class__.__name__})",
                           file=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UserError.at(f"is this the {dataset}? it lacks the column(s) "
                           f"{', '.join(missing)}", file=str(path))
    return frame


def era(years: pd.Series) -> pd.Series:
    """A case's era by the year of its origin."""
    bins = [-1, 1945, 1989, 1999, 2009, 9999]
    labels = ["before_1946", "cold_war", "1990s", "2000s", "since_2010"]  # 1946-1989: cold war
    return pd.cut(years, bins=bins, labels=labels).astype(str)


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start).dt.days / DAYS_PER_MONTH


UCDP_REGION = {1: "europe", 2: "middle_east", 3: "asia", 4: "africa", 5: "americas"}
UCDP_INCOMPATIBILITY = {1: "territory", 2: "government", 3: "both"}
UCDP_TYPE = {1: "full", 2: "partial", 3: "process"}


def ucdp_agreements(path: Path) -> pd.DataFrame:
    """UCDP PA: an agreement from its signing to its termination, censored at the data's end."""
    raw = read(path, UCDP_COLUMNS, "UCDP Peace Agreement Dataset")
    signed = pd.to_datetime(raw["pa_date"], errors="coerce", format="%Y-%m-%d")
    ended_on = pd.to_datetime(raw["duration"], errors="coerce", format="%Y-%m-%d")
    ended = pd.to_numeric(raw["ended"], errors="coerce") == 1
    event = ended & ended_on.notna()
    data_end = max(signed.max(), ended_on.max())
    end = ended_on.where(event, pd.Timestamp(year=data_end.year, month=12, day=31))
    cases = pd.DataFrame({
        "origin": signed, "months": months_between(signed, end), "event": event,
        "incompatibility": pd.to_numeric(raw["incompatibility"], errors="coerce")
        .map(UCDP_INCOMPATIBILITY),
        "type": pd.to_numeric(raw["pa_type"], errors="coerce").map(UCDP_TYPE),
        "region": pd.to_numeric(raw["region"].astype(str).str[:1], errors="coerce")
        .map(UCDP_REGION),
    })
    cases["era"] = era(signed.dt.year)
    undated = ended & ended_on.isna()  # ended on an unknown date: cannot be placed, left out
    return cases[signed.notna() & ~undated & (cases["months"] >= 0)].reset_index(drop=True)


PAX_CONFLICT = {"Inter": "interstate", "InterIntra": "mixed", "Intra": "intrastate",
                "IntraLocal": "intrastate"}
PAX_INCOMPATIBILITY = {"Government": "government", "Territory": "territory",
                       "Government/territory": "government_territory",
                       "Inter-group": "inter_group"}
PAX_REGION = {"Africa (excl MENA)": "africa", "Europe and Eurasia": "europe_eurasia",
              "Asia and Pacific": "asia_pacific", "Middle East and North Africa": "mena",
              "Americas": "americas", "Cross-regional": "cross_regional"}


def pax_agreements(path: Path) -> pd.DataFrame:
    """PA-X: every agreement with its process, date, stage and the process's kind."""
    raw = read(path, PAX_COLUMNS, "PA-X Peace Agreements Database")
    out = pd.DataFrame({
        "process": raw["PP"].astype(str),
        "date": pd.to_datetime(raw["Dat"], errors="coerce", format="%Y-%m-%d"),
        "stage": raw["Stage"].astype(str).str.strip(),
        "conflict": raw["Agtp"].astype(str).str.strip().map(PAX_CONFLICT),
        "incompatibility": raw["Contp"].astype(str).str.strip().map(PAX_INCOMPATIBILITY),
        "region": raw["Reg"].astype(str).str.strip().map(PAX_REGION),
    })
    return out[out["date"].notna()].sort_values(["process", "date"], kind="stable")


ICB_VIOLENCE = {1: "none", 2: "minor", 3: "serious", 4: "war"}


def icb_crises(path: Path) -> pd.DataFrame:
    """ICB (crisis level): a crisis from its trigger to its termination, with its outcome."""
    raw = read(path, ICB_COLUMNS, "International Crisis Behavior data (crisis level, icb1)")
    trig = _date(raw, "yrtrig", "motrig", "datrig")
    term = _date(raw, "yrterm", "moterm", "daterm")
    cases = pd.DataFrame({
        # an imputed day can put the end before the trigger within one month: then 0 months
        "origin": trig, "months": months_between(trig, term).clip(lower=0),
        "event": term.notna(),
        "outcome": pd.to_numeric(raw["forout"], errors="coerce"),
        "violence": pd.to_numeric(raw["viol"], errors="coerce").map(ICB_VIOLENCE),
    })
    cases["era"] = era(trig.dt.year)
    return cases[trig.notna()].reset_index(drop=True)  # an unknown end: no duration, a case


def _date(raw: pd.DataFrame, y: str, m: str, d: str) -> pd.Series:
    """A date from year, month and day columns; an unknown day (blank, or 88) is the 15th, an
    unknown month the year's middle (1 July)."""
    year = pd.to_numeric(raw[y], errors="coerce")
    month = pd.to_numeric(raw[m], errors="coerce")
    day = pd.to_numeric(raw[d], errors="coerce")
    known = month.between(1, 12)
    day = day.where(day.between(1, 31) & known, 15).where(known, 1)
    parts = pd.DataFrame({"year": year, "month": month.where(known, 7), "day": day})
    ok = parts["year"].notna()
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    out[ok] = pd.to_datetime(parts[ok].astype(int), errors="coerce")
    return out
