"""Every broken scenario exits 2 naming file, line and field, no traceback, no stored run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.store.runs import RunStore

from .conftest import CORPUS

BAD = sorted((CORPUS / "bad").glob("*.yaml"))


def _expectations(path: Path) -> tuple[str, str, int | None]:
    lines = path.read_text(encoding="utf-8").splitlines()
    field = message = ""
    for line in lines[:2]:
        if line.startswith("# expect-field:"):
            field = line.split(":", 1)[1].strip()
        if line.startswith("# expect-message:"):
            message = line.split(":", 1)[1].strip()
    marked = [i + 1 for i, text in enumerate(lines) if "# <- error" in text]
    return field, message, marked[0] if marked else None


def test_corpus_is_large_enough() -> None:
    assert len(BAD) >= 25


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_broken_scenario_is_a_clear_user_error(path: Path, cli) -> None:
    field, message, line = _expectations(path)
    r = cli("validate", str(path), "--sources", str(CORPUS))
    assert r.code == 2, r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert str(path) in r.err
    if path.stat().st_size:  # an empty file has no line to name but line 1
        assert re.search(re.escape(str(path)) + r":\d+", r.err), r.err
    if field:
        assert f"{field}:" in r.err, r.err
    if message:
        assert message in r.err, r.err
    if line:
        assert f"{path}:{line}:" in r.err, r.err


def _billion_laughs(path: Path) -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    path.write_text(text)


GENERATED = {
    "billion_laughs": (_billion_laughs, "expands to more than"),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
    "not_utf8": (lambda p: p.write_bytes(b"meta:\n  title: caf\xe9\n"), "not UTF-8"),
    "fifty_megabytes": (
        lambda p: p.write_bytes(b"meta:\n" + (b"# " + b"x" * 1000 + b"\n") * 51_000),
        "limit is",
    ),
}


@pytest.mark.parametrize("kind", sorted(GENERATED))
def test_hostile_files(kind: str, tmp_path: Path, cli) -> None:
    make, message = GENERATED[kind]
    path = tmp_path / f"{kind}.yaml"
    make(path)
    r = cli("validate", str(path))
    assert r.code == 2
    assert message in r.err and str(path) in r.err
    assert "Traceback" not in r.err


def test_missing_file_and_folder(tmp_path: Path, cli) -> None:
    r = cli("validate", str(tmp_path / "nope.yaml"))
    assert r.code == 2 and "not found" in r.err
    r = cli("validate", str(tmp_path) + "/")
    assert r.code == 2 and "folder" in r.err


@pytest.mark.parametrize("path", BAD[:6], ids=[p.stem for p in BAD[:6]])
def test_failed_run_stores_nothing(path: Path, tmp_path: Path, cli) -> None:
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = RunStore(db)
    good = cli(
        "run", str(CORPUS / "base.yaml"), "--paths", "200", "--db", db, "--out", str(tmp_path / "r")
    )
    assert good.code == 0, good.err
    before = store.count()
    r = cli("run", str(path), "--db", db, "--sources", str(CORPUS), "--out", str(tmp_path / "r2"))
    assert r.code == 2
    assert store.count() == before == 1
    assert store.get(1).scenario_id == "corpus-base"
