"""Deterministic decide driver: ties broken by list order (ALLOW_RANDOM False); records ties."""

import csv
import sys
import tempfile

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop

inp, rounds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
equalgain.EqualGainModel.ALLOW_RANDOM = False
ties = []
orig = equalgain.EqualGainModel.highest_gain


def hg(self):
    self.sort_exchanges()
    if (
        len(self.exchanges) > 1
        and abs(self.exchanges[0].gain - self.exchanges[1].gain) < 1e-12
        and self.exchanges[0].is_valid
    ):
        ties.append(self.exchanges[0].gain)
    return orig(self)


equalgain.EqualGainModel.highest_gain = hg
factory = ModelFactory(InputDataFile.open(inp))
model = factory(model_klass=equalgain.EqualGainModel, randomized_value=0)


class Obs(Observable):
    def execute_exchange(self, e):
        ex.append(
            (
                e.i.actor.actor_id,
                str(e.i.supply.issue),
                float(e.i.y),
                e.j.actor.actor_id,
                str(e.j.supply.issue),
                float(e.j.y),
                float(e.gain),
            )
        )


eh = Obs(model_ref=model, output_directory=tempfile.mkdtemp())
loop = ModelLoop(model, eh, 0)
rows = []
exrows = []
for r in range(1, rounds + 1):
    ex = []
    nt = len(ties)
    model.calc_nbs()
    loop.loop()
    for k, e in enumerate(ex):
        exrows.append((r, k, *e))
    voting = {}
    for iss in model.issues.values():
        for a, ai in model.actor_issues[iss].items():
            rows.append(
                (
                    r,
                    iss.issue_id,
                    a.actor_id,
                    float(ai.position),
                    float(model.nbs[iss]),
                    len(ties) - nt,
                )
            )
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["round", "issue", "actor", "position", "voting_nbs", "ties"])
    w.writerows(rows)
with open(out.replace(".csv", "-exchanges.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(
        ["round", "order", "actor_i", "supply_i", "y_i", "actor_j", "supply_j", "y_j", "gain"]
    )
    w.writerows(exrows)
print("ties per run", len(ties))
