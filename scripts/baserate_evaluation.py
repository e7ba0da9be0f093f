"""The docs' out-of-sample table of every reference class (docs/outside-view.md): each class
estimated on the cases that began before its split year forecasts the later ones.

Run: python scripts/baserate_evaluation.py [DATA_DIR]   (default: ../shared/data/outside-view)
"""

from __future__ import annotations

import sys
from pathlib import Path

from accord.baserate.classes import CLASSES
from accord.baserate.evaluate import evaluate

SPLIT = {"ucdp": 2005, "pax": 2008, "icb": 1980}  # about the last third of each dataset's years
FILES = {"ucdp": "ucdp-peace-agreements-22.1.csv", "pax": "pax-3-agreements.csv",
         "icb": "icb1v14.csv"}


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parents[2] / "shared" / "data" / "outside-view")
    files = {k: root / v for k, v in FILES.items()}
    print("| class | split | horizon | n | observed | class | climatology "
          "| Brier: class / climatology / coin | log: class / climatology / coin | verdict |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for spec in CLASSES:
        year = SPLIT[spec.source]
        for s in evaluate(spec.id, year, files):
            b = s.brier
            rivals = [k for k in ("climatology", "coin") if k in b]
            beats = all(b["class"] < b[k] for k in rivals)
            verdict = "beats " + " and ".join(rivals) if beats else "no better than " + \
                " / ".join(k for k in rivals if b["class"] >= b[k])
            f, lg = s.forecasts, s.log
            clim = f"{f['climatology']:.0%}" if "climatology" in f else "(the class)"
            print(f"| `{spec.id}` | {year} | {s.horizon or 'share'} | {s.n} | {s.observed:.0%} "
                  f"| {f['class']:.0%} | {clim} | {_three(b)} | {_three(lg)} | {verdict} |")


def _three(score: dict[str, float]) -> str:
    return " / ".join(f"{score[k]:.3f}" if k in score else "—"
                      for k in ("class", "climatology", "coin"))


if __name__ == "__main__":
    main()
