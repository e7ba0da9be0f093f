"""Estimate the shipped tables from the datasets: Kaplan–Meier curves and shares, per class and
per filter (each attribute alone, and every pair), with their n, events and 95% bands.

Build time only: lifelines (Kaplan–Meier, Greenwood variance, log(−log) band) and scipy
(Jeffreys interval for shares). The tables hold curves and counts, never a dataset's rows.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from accord.baserate.classes import CLASSES, SOURCES, ClassSpec

MIN_CASES = 5  # a filtered class with fewer cases is not estimated (and refused when asked)
AT_RISK_MONTHS = (0, 6, 12, 24, 36, 60, 120, 180, 240)
DIGITS = 6


def curve(cases: pd.DataFrame) -> dict:
    """Kaplan–Meier's life table at the event times (months): how many were at risk and how
    many had the event, from which `accord.baserate.tables` computes S(t), its conditional
    forms and their Greenwood bands (lifelines' estimate and band to the last digit)."""
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter(alpha=0.05).fit(cases["months"], cases["event"].astype(bool))
    table = kmf.event_table[kmf.event_table["observed"] > 0]
    months = cases["months"].to_numpy(float)
    return {
        "kind": "curve", "n": int(len(cases)), "events": int(cases["event"].sum()),
        "follow_up": round(float(months.max()), 3),
        "times": [round(float(t), 3) for t in table.index],
        "at_risk_n": [int(x) for x in table["at_risk"]],
        "deaths": [int(x) for x in table["observed"]],
        "at_risk": [[m, int((months >= m).sum())] for m in AT_RISK_MONTHS],
    }


def share(cases: pd.DataFrame) -> dict:
    """The share of cases with the event, with Jeffreys' 95% interval."""
    from scipy.stats import beta

    n, k = int(len(cases)), int(cases["event"].sum())
    low = 0.0 if k == 0 else float(beta.ppf(0.025, k + 0.5, n - k + 0.5))
    high = 1.0 if k == n else float(beta.ppf(0.975, k + 0.5, n - k + 0.5))
    return {"kind": "share", "n": n, "events": k, "probability": round(k / n, DIGITS),
            "low": round(low, DIGITS), "high": round(high, DIGITS)}


def estimate(spec: ClassSpec, cases: pd.DataFrame) -> dict:
    return curve(cases) if spec.kind == "curve" else share(cases)


def filter_values(spec: ClassSpec, cases: pd.DataFrame) -> dict[str, list[str]]:
    """Each filter's values that some case has (an era pandas could not cut is 'nan')."""
    return {k: sorted(v for v in cases[k].dropna().unique() if v != "nan")
            for k in spec.filters}


def subsets(spec: ClassSpec, cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The class and its filtered subsets ('KEY=VALUE', pairs joined by '&', keys sorted)
    with at least MIN_CASES cases."""
    out = {"": cases}
    values = filter_values(spec, cases)
    for size in (1, 2):
        for keys in itertools.combinations(sorted(spec.filters), size):
            for combo in itertools.product(*(values[k] for k in keys)):
                mask = np.logical_and.reduce([cases[k] == v for k, v in zip(keys, combo,
                                                                             strict=True)])
                if int(mask.sum()) >= MIN_CASES:
                    out["&".join(f"{k}={v}" for k, v in zip(keys, combo, strict=True))] = \
                        cases[mask]
    return out


def build_class(spec: ClassSpec, files: dict[str, Path]) -> tuple[dict, dict]:
    """The class's index entry and its table of curves (or shares) by filter."""
    cases = spec.cases(files)
    table = {key: estimate(spec, sub) for key, sub in subsets(spec, cases).items()}
    src = SOURCES[spec.source]
    whole = table[""]
    entry = {
        "id": spec.id, "name": spec.name, "kind": spec.kind, "origin": spec.origin,
        "event": spec.event, "source": f"{src['name']} v{src['version']}",
        "citation": src["citation"], "n": whole["n"], "events": whole["events"],
        "first_year": int(cases["origin"].dt.year.min()),
        "last_year": int(cases["origin"].dt.year.max()),
        "filters": filter_values(spec, cases),
    }
    return entry, {"id": spec.id, "curves": table}


def build(files: dict[str, Path], out: Path) -> list[str]:
    """Every class whose dataset is given, written to `out` (index.json and ID.json); returns
    the files written. Classes of datasets not given keep their existing tables."""
    out.mkdir(parents=True, exist_ok=True)
    index_path = out / "index.json"
    old = json.loads(index_path.read_text()) if index_path.exists() else {"classes": []}
    entries = {e["id"]: e for e in old["classes"]}
    written = []
    for spec in CLASSES:
        if spec.source not in files:
            continue
        entry, table = build_class(spec, files)
        entries[spec.id] = entry
        path = out / f"{spec.id}.json"
        path.write_text(dump(table))
        written.append(str(path))
    order = [s.id for s in CLASSES]
    index = {"classes": [entries[i] for i in order if i in entries]}
    index_path.write_text(dump(index))
    return [*written, str(index_path)]


def dump(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
