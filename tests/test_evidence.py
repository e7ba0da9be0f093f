"""Quotes are checked against the source texts, tolerant of layout but not of wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import UserError
from accord.scenario.evidence import normalise, quote_occurs
from accord.scenario.loader import load_scenario

from .conftest import CORPUS


def test_layout_is_ignored() -> None:
    text = normalise("the pace of the with-\ndrawal.  Observers   expect “slow progress”\nat best")
    assert quote_occurs("the pace of the withdrawal", text)
    assert quote_occurs('Observers expect "slow progress" at best', text)
    assert not quote_occurs("the pace of the retreat", text)
    assert not quote_occurs("   ", text)


def test_default_scenario_quotes_verified_against_the_article(seed_dir: Path) -> None:
    loaded = load_scenario("south-caucasus-2025", sources=seed_dir, strict=True)
    assert loaded.warnings == []
    quotes = [e for _, p in loaded.scenario.parameters() for e in p.evidence]
    assert len(quotes) >= 40


def test_without_the_text_quotes_are_unverified() -> None:
    loaded = load_scenario("south-caucasus-2025")
    assert any("unverified" in w.message for w in loaded.warnings)


def test_altered_quote_is_caught(seed_dir: Path, tmp_path: Path) -> None:
    from accord.scenario.loader import builtin_text

    text = builtin_text("south-caucasus-2025").replace(
        "Ankara will not risk angering Baku", "Ankara will happily anger Baku", 1
    )
    f = tmp_path / "altered.yaml"
    f.write_text(text)
    with pytest.raises(UserError) as exc:
        load_scenario(f, sources=seed_dir)
    (problem,) = exc.value.problems
    assert "quote not found" in problem.message
    assert (
        problem.line
        == text.splitlines().index(next(x for x in text.splitlines() if "happily anger" in x)) + 1
    )
    assert problem.field.endswith(".quote")


def test_no_provenance_is_an_error_when_strict(tmp_path: Path) -> None:
    base = (CORPUS / "base.yaml").read_text()
    f = tmp_path / "s.yaml"
    f.write_text(base.replace("capability: {value: 10, assumption: equal}", "capability: 10", 1))
    loaded = load_scenario(f, sources=CORPUS)  # lenient: a warning
    assert any("no evidence and no assumption" in w.message for w in loaded.warnings)
    with pytest.raises(UserError):
        load_scenario(f, sources=CORPUS, strict=True)
