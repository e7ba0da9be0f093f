"""The reference classes: which historical cases, counted from when, until what.

A *curve* class gives F(h), the probability that the event happens within h months of the
origin (Kaplan–Meier, censored at the data's end); a *share* class gives one probability, the
share of cases in which the event happens. Each class names the attributes it can be filtered
by (`--where KEY=VALUE`). Build time only (pandas).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from accord.baserate import datasets as ds

UCDP = {
    "name": "UCDP Peace Agreement Dataset", "version": "22.1",
    "citation": "Högbladh, S. 2012, \"Peace agreements 1975–2011: updating the UCDP peace "
    "agreement dataset\", in Pettersson, T. & Themnér, L. (eds), States in Armed Conflict "
    "2011, Uppsala University; Harbom, L., Högbladh, S. & Wallensteen, P. 2006, \"Armed "
    "conflict and peace agreements\", Journal of Peace Research 43(5).",
}
PAX = {
    "name": "PA-X Peace Agreements Database", "version": "3",
    "citation": "Bell, C. & Badanjak, S. 2019, \"Introducing PA-X: A new peace agreement "
    "database and dataset\", Journal of Peace Research 56(3): 452–466.",
}
ICB = {
    "name": "International Crisis Behavior data (crisis level)", "version": "14",
    "citation": "Brecher, M. & Wilkenfeld, J. 2000, A Study of Crisis, University of "
    "Michigan Press; Brecher, M., Wilkenfeld, J., Beardsley, K., James, P. & Quinn, D. 2023, "
    "International Crisis Behavior Data Codebook.",
}
SOURCES = {"ucdp": UCDP, "pax": PAX, "icb": ICB}


@dataclass(frozen=True)
class ClassSpec:
    id: str
    name: str
    kind: str  # "curve" or "share"
    origin: str
    event: str
    filters: tuple[str, ...]
    cases: Callable[[dict[str, Path]], pd.DataFrame]

    @property
    def source(self) -> str:
        return self.id.split(".", 1)[0]


def _ucdp(files: dict[str, Path]) -> pd.DataFrame:
    return ds.ucdp_agreements(files["ucdp"])


def _icb(files: dict[str, Path]) -> pd.DataFrame:
    cases = ds.icb_crises(files["icb"])
    return cases[cases["months"].notna()]


def _icb_agreement(files: dict[str, Path]) -> pd.DataFrame:
    cases = ds.icb_crises(files["icb"])
    known = cases["outcome"].notna()
    return cases[known].assign(event=cases["outcome"].isin([1, 2]))


def _icb_violence(files: dict[str, Path]) -> pd.DataFrame:
    cases = ds.icb_crises(files["icb"])
    return cases[cases["violence"].notna()].assign(event=cases["violence"].isin(["serious", "war"]))


def _process_time(agreements: pd.DataFrame, origin_stages: set[str] | None,
                  event_stages: set[str]) -> pd.DataFrame:
    """Per process: from its first agreement of `origin_stages` (None: any stage) to its first
    agreement of `event_stages` on or after it, censored at the data's last date. The case
    takes the attributes of its origin agreement."""
    end = agreements["date"].max()
    rows = []
    for _, group in agreements.groupby("process", sort=True):
        starts = group if origin_stages is None else group[group["stage"].isin(origin_stages)]
        if starts.empty:
            continue
        first = starts.iloc[0]
        later = group[(group["date"] >= first["date"]) & group["stage"].isin(event_stages)]
        hit = not later.empty
        stop = later["date"].iloc[0] if hit else end
        rows.append({"origin": first["date"], "stop": stop, "event": hit,
                     "conflict": first["conflict"], "incompatibility": first["incompatibility"],
                     "region": first["region"]})
    return _timed(pd.DataFrame(rows))


def _timed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["months"] = ds.months_between(frame["origin"], frame["stop"])
    frame["era"] = ds.era(frame["origin"].dt.year)
    return frame.drop(columns="stop")


def _pax_stage(origin: set[str] | None, event: set[str]) -> Callable[[dict[str, Path]],
                                                                      pd.DataFrame]:
    return lambda files: _process_time(ds.pax_agreements(files["pax"]), origin, event)


def _pax_next(files: dict[str, Path]) -> pd.DataFrame:
    """Every agreement, until its process's next agreement on a later date."""
    frame = ds.pax_agreements(files["pax"]).copy()
    frame["stop"] = frame.groupby("process")["date"].transform(_next_date)
    frame["event"] = frame["stop"].notna()
    frame["stop"] = frame["stop"].fillna(frame["date"].max())
    frame["origin"] = frame["date"]
    return _timed(frame[["origin", "stop", "event", "conflict", "incompatibility", "region"]])


def _next_date(dates: pd.Series) -> pd.Series:
    """Each date's next later date in the series (NaT for the last)."""
    later = np.unique(dates.to_numpy())
    at = np.searchsorted(later, dates.to_numpy(), side="right")
    found = at < len(later)
    out = np.full(len(dates), np.datetime64("NaT"), dtype=later.dtype)
    out[found] = later[at[found]]
    return pd.Series(out, index=dates.index)


UCDP_FILTERS = ("incompatibility", "type", "region", "era")
PAX_FILTERS = ("conflict", "incompatibility", "region", "era")
SUBSTANTIVE = {"SubPar", "SubComp"}

CLASSES: tuple[ClassSpec, ...] = (
    ClassSpec("ucdp.agreement_ends", "A peace agreement is terminated", "curve",
              "the agreement's signing", "the agreement ends (UCDP: terminated)",
              UCDP_FILTERS, _ucdp),
    ClassSpec("pax.comprehensive_after_first", "A peace process reaches a comprehensive "
              "agreement", "curve", "the process's first agreement of any stage",
              "a comprehensive agreement is signed (stage SubComp)", PAX_FILTERS,
              _pax_stage(None, {"SubComp"})),
    ClassSpec("pax.substantive_after_first", "A peace process reaches a substantive "
              "agreement", "curve", "the process's first agreement of any stage",
              "a substantive agreement, partial or comprehensive, is signed", PAX_FILTERS,
              _pax_stage(None, SUBSTANTIVE)),
    ClassSpec("pax.comprehensive_after_substantive", "A comprehensive agreement follows a "
              "partial one", "curve", "the process's first substantive agreement",
              "a comprehensive agreement is signed", PAX_FILTERS,
              _pax_stage(SUBSTANTIVE, {"SubComp"})),
    ClassSpec("pax.comprehensive_after_ceasefire", "A ceasefire leads to a comprehensive "
              "agreement", "curve", "the process's first ceasefire agreement",
              "a comprehensive agreement is signed", PAX_FILTERS,
              _pax_stage({"Cea"}, {"SubComp"})),
    ClassSpec("pax.implementation_after_comprehensive", "A comprehensive agreement gets an "
              "implementation agreement", "curve", "the process's first comprehensive "
              "agreement", "an implementation agreement is signed", PAX_FILTERS,
              _pax_stage({"SubComp"}, {"Imp"})),
    ClassSpec("pax.next_agreement", "A peace process signs another agreement", "curve",
              "any agreement's signing", "the process's next agreement, of any stage",
              PAX_FILTERS, _pax_next),
    ClassSpec("icb.crisis_ends", "An international crisis ends", "curve",
              "the crisis's trigger", "the crisis terminates", ("violence", "era"), _icb),
    ClassSpec("icb.crisis_agreement", "An international crisis ends in an agreement", "share",
              "the crisis's trigger", "it ends in a formal or semi-formal agreement",
              ("violence", "era"), _icb_agreement),
    ClassSpec("icb.crisis_violence", "An international crisis brings serious violence",
              "share", "the crisis's trigger", "serious clashes or full-scale war",
              ("era",), _icb_violence),
)
