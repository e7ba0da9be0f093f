"""The forecast ledger: what accord forecast, when, and how it turned out, tamper-evident.

Each entry is canonical JSON (sorted keys, no spaces) of everything that matters — kind,
scenario, question, time, and the forecast or the resolution — and its hash is

    hash_k = SHA-256(prev_hash_k || content_k),   prev_hash_k = hash_{k-1},  prev_hash_1 = 0…0

so editing an entry breaks its own hash, deleting or reordering one breaks the next entry's link.
`verify` walks the chain and names the first bad entry. (Truncating the newest entries leaves a
valid shorter chain: keep the latest hash elsewhere, e.g. `accord ledger verify --json`'s
`head`, to detect that too.) Appends are safe under concurrency: `prev_hash` is unique, so of
two appends after the same tail one fails and retries on the new tail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from accord.errors import UserError
from accord.jsonable import finite
from accord.process.deadline import RULE
from accord.store.runs import RunStore
from accord.store.schema import ledger

GENESIS = "0" * 64
RESOLUTIONS = ("yes", "no", "annulled")
APPEND_TRIES = 50


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    recorded_at: str
    scenario_id: str
    question_id: str
    content: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "prev_hash": self.prev_hash, **self.content}


@dataclass(frozen=True)
class Broken:
    seq: int
    why: str


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def chain_hash(prev_hash: str, content_text: str) -> str:
    return hashlib.sha256((prev_hash + content_text).encode("utf-8")).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Ledger:
    """The ledger in one run store (same database, same migrations)."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.engine = store.engine

    def _tail(self, conn: sa.Connection) -> str:
        q = sa.select(ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1)
        return conn.execute(q).scalar() or GENESIS

    def append(self, content: dict[str, Any]) -> Entry:
        """Append one entry (content must hold kind, scenario_id, question_id, recorded_at)."""
        text = canonical(finite(content))
        content = json.loads(text)
        for _ in range(APPEND_TRIES):
            try:
                with self.engine.begin() as conn:
                    prev = self._tail(conn)
                    h = chain_hash(prev, text)
                    seq = conn.execute(ledger.insert().values(
                        kind=content["kind"], recorded_at=content["recorded_at"],
                        scenario_id=content["scenario_id"], question_id=content["question_id"],
                        content=text, prev_hash=prev, hash=h,
                    )).inserted_primary_key[0]
                return Entry(int(seq), content["kind"], content["recorded_at"],
                             content["scenario_id"], content["question_id"], content, prev, h)
            except (IntegrityError, OperationalError):
                continue  # another process appended after the same tail: go again on the new one
        raise UserError.at("the ledger is too busy to append to; try again", field="db")

    def entries(self, scenario_id: str | None = None,
                question_id: str | None = None) -> list[Entry]:
        q = sa.select(ledger).order_by(ledger.c.seq)
        if scenario_id:
            q = q.where(ledger.c.scenario_id == scenario_id)
        if question_id:
            q = q.where(ledger.c.question_id == question_id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [Entry(r.seq, r.kind, r.recorded_at, r.scenario_id, r.question_id,
                      json.loads(r.content), r.prev_hash, r.hash) for r in rows]

    def verify(self) -> tuple[Broken | None, int, str]:
        """(the first bad entry or None, entries checked, the head hash)."""
        prev = GENESIS
        n = 0
        with self.engine.connect() as conn:
            for r in conn.execute(sa.select(ledger).order_by(ledger.c.seq)):
                n += 1
                if r.prev_hash != prev:
                    return Broken(r.seq, "its link to the entry before it is broken (an entry "
                                  "was deleted, inserted or reordered)"), n, prev
                if chain_hash(r.prev_hash, r.content) != r.hash:
                    return Broken(r.seq, "its content does not match its hash (edited)"), n, prev
                try:
                    content = json.loads(r.content)
                except ValueError:
                    return Broken(r.seq, "its content is not JSON"), n, prev
                if (content.get("kind"), content.get("scenario_id"),
                        content.get("question_id")) != (r.kind, r.scenario_id, r.question_id):
                    return Broken(r.seq, "its columns disagree with its hashed content"), n, prev
                prev = r.hash
        return None, n, prev

    # --- the two kinds of entry ---------------------------------------------------------------
    def record_forecast(self, *, scenario_id: str, scenario_hash: str, question: dict[str, Any],
                        forecast_date: str, run_id: int | None,
                        observations_hash: str | None = None,
                        criteria: str | None = None) -> Entry:
        band = question.get("band")
        return self.append({
            "kind": "forecast", "recorded_at": now(), "scenario_id": scenario_id,
            "question_id": question["id"], "scenario_hash": scenario_hash,
            "observations_hash": observations_hash, "forecast_date": forecast_date,
            "deadline": question["by"], "event": question["event"], "run_id": run_id,
            "probability": float(question["probability"]),
            "stderr": float(question["stderr"]),
            "band": [float(band[0]), float(band[1])] if band else None,
            "criteria": criteria,
            "date_rule": RULE,  # entries without it were read under OLD_RULE
        })

    def resolve(self, scenario_id: str, question_id: str, outcome: str, on: dt.date,
                source: str | None = None) -> Entry:
        if outcome not in RESOLUTIONS:
            raise UserError.at(f"must be one of {', '.join(RESOLUTIONS)}, not {outcome!r}",
                               field="outcome")
        if not self.entries(scenario_id, question_id):
            raise UserError.at(
                f"the ledger has no forecast of question '{question_id}' of scenario "
                f"'{scenario_id}' (record one with accord run --record)", field="question"
            )
        return self.append({
            "kind": "resolution", "recorded_at": now(), "scenario_id": scenario_id,
            "question_id": question_id, "outcome": outcome, "resolved_on": on.isoformat(),
            "source": source,
        })
