"""Property-based tests of what parses a user's text into a draft (issue 29): the typology,
names, past facts, the language check and dates never fail on any text, and keep their
promises (a typed name is never cut, names its actors, a share is a share)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.draft.clauses import MAX_NAME_WORDS, name_of
from accord.draft.dates import stated_date
from accord.draft.language import english_share, is_english, latin_share
from accord.draft.typed import is_fragment, is_past
from accord.draft.typology import KINDS, kind_of, lemma_set, name_for

WORDS = ["sign", "signed", "ratify", "ratification", "the", "treaty", "ceasefire", "truce",
         "talks", "collapse", "collapsed", "will", "could", "strike", "union", "air", "elections",
         "hold", "held", "referendum", "diplomatic", "relations", "establish", "at", "summit",
         "on", "12", "May", "2026", "in", "2009", "a", "deal", "sanctions", "lift", "impose",
         "fighting", "escalates", "government", "form", "Kenya", "Uganda", "’s", ",", ".", ";",
         "was", "is", "has", "been", "postponed", "meeting", "meet", "Ministers", "…", "é", "中"]
SENTENCES = st.one_of(st.text(max_size=200),
                      st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(SENTENCES)
def test_any_text_has_a_kind_or_none_and_its_lemmas(text: str) -> None:
    kind = kind_of(text)
    assert kind is None or kind in KINDS
    assert all(w == w.lower() for w in lemma_set(text))


@FAST
@given(st.sampled_from(KINDS), st.lists(st.sampled_from(["Kenya", "Uganda", "EU",
                                                         "Arakan Army"]), max_size=3,
                                        unique=True), SENTENCES)
def test_a_typed_name_is_never_cut_and_names_its_actors(kind, who: list[str], text: str) -> None:
    name = name_for(kind, who, text)
    assert name and name[0].isupper() and not is_fragment(name)
    assert all(a in name for a in who) and "{" not in name


@FAST
@given(SENTENCES)
def test_a_clause_name_is_bounded_and_past_is_a_yes_or_no(text: str) -> None:
    assert len(name_of(text).split()) <= MAX_NAME_WORDS + 1
    for kind in KINDS[:4]:
        assert is_past(kind, text) in (True, False)


@FAST
@given(SENTENCES)
def test_the_language_check_reads_any_text(text: str) -> None:
    share, n = english_share(text)
    latin, letters = latin_share(text)
    assert 0 <= share <= 1 and 0 <= latin <= 1 and n >= 0 and letters >= 0
    assert is_english(text) in (True, False)


@FAST
@given(SENTENCES)
def test_a_texts_own_date_is_a_date_or_none(text: str) -> None:
    found = stated_date(text)
    assert found is None or isinstance(found[0], dt.date)


def test_the_typology_reads_word_forms_not_spellings() -> None:
    """lemminflect, not regex inflections: every form of a signal verb signals its kind."""
    assert kind_of("Kenya and Uganda signed the treaties").id == "agreement_signed"
    assert kind_of("the parliaments are ratifying the accord").id == "agreement_ratified"
    assert kind_of("the summit would be postponed").id == "talks_broken_off"
    assert kind_of("a ceasefire could be agreed at the talks").id == "ceasefire_agreed"
    assert kind_of("the army stopped its air strikes") is None  # no labour strike
    assert is_past(kind_of("the envoys met in Vienna"), "the envoys met in Vienna")
    assert not is_past(kind_of("once the protocol is signed"), "once the protocol is signed")


@pytest.mark.parametrize(("clause", "past"), [
    # a modal elsewhere in the clause: the piece that holds the kind's signal is judged alone
    ("Business leaders warn that a repeat of the 2008 crisis, when more than 1,100 people "
     "were killed before a coalition deal was signed, would hit tourism", True),
    ("the accord, signed in 2019, could still be revived by the new government", True),
    # the piece itself is conditional, hedged or to come
    ("the deal, if signed, would end the war", False),
    ("officials said the deal, which could be signed in May, would end the war", False),
    ("the two sides could sign the accord in May", False),
    ("a deal would be signed once the prisoners are freed", False),
])
def test_a_fact_told_beside_a_modal_is_past(clause: str, past: bool) -> None:
    kind = next(k for k in KINDS if k.id == "agreement_signed")
    assert is_past(kind, clause) is past


def test_the_word_forms_table_is_lemminflects_for_the_typology() -> None:
    """accord.draft.forms is generated (scripts/typology_forms.py): it matches the typology."""
    import importlib.util
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "typology_forms.py"
    spec = importlib.util.spec_from_file_location("typology_forms", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.OUT.read_text() == module.source(), "run: python scripts/typology_forms.py"


def test_the_kind_a_modal_governs_wins_and_a_recent_month_is_past() -> None:
    from accord.draft.dates import dates_in

    clause = ("Military delegations will meet in Geneva next week to shore up a ceasefire that "
              "has frayed since clashes erupted in Sabha in August")
    assert kind_of(clause).id == "talks_held"  # not the relative clause's escalation
    assert dates_in(clause, dt.date(2026, 9, 5)) == []  # last August, not next year's
    assert dates_in("rations will run out by May", dt.date(2026, 2, 14)) == [
        (dt.date(2026, 5, 1), True)]
