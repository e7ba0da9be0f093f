"""Whom a drafted event is about: the actors of its clause's core (accord.draft.core), not of
its reporting frame, relative clauses, dateline or venue, nor a state named as the possessive
of a party (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.draft.build import Options, build
from accord.draft.core import core
from accord.draft.text import article_of


def _about(text: str) -> list[list[str]]:
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 3, 15)))
    return [sorted(actors) for _, actors in draft.typed.values()]


@pytest.mark.parametrize(("clause", "left"), [
    ("Peru and Chile will resume talks next week, Bolivian officials said on Friday",
     "Peru and Chile will resume talks next week"),
    ("A diplomat briefed on the plans said Peru and Chile will resume talks",
     "Peru and Chile will resume talks"),
    ("Peru and Chile will sign the treaty, which Bolivia opposes, in May",
     "Peru and Chile will sign the treaty, in May"),
    ("Peru and Chile will meet in the Bolivian city of Sucre",
     "Peru and Chile will meet "),
    ("LIMA, 3 March 2026 - Peru and Chile will resume talks", "Peru and Chile will resume talks"),
    ("the union said it would strike", "the union said it would strike"),  # the speaker acts
])
def test_the_core_leaves_out_frame_relatives_dateline_and_venue(clause: str, left: str) -> None:
    assert core(clause) == left


@pytest.mark.parametrize("text", [
    "Peru and Chile will resume talks on the border next month, Bolivian officials said.",
    "Peru and Chile will sign the border treaty in June, a Bolivian diplomat said.",
    "Peru and Chile will sign the border treaty at a summit in the Bolivian city of Sucre.",
    "Peru and Chile, which Bolivia has urged to settle, will sign the border treaty.",
])
def test_the_frame_a_relative_clause_or_a_venue_adds_no_side(text: str) -> None:
    assert _about(text) == [["chile", "peru"]]


def test_a_state_named_as_a_partys_possessive_is_no_side() -> None:
    text = ("Peru's conservative Renewal Party and the Social Democrats will open coalition talks "
            "next week. Peru holds elections in 2031.")
    assert _about(text)[0] == ["renewal_party", "social_democrats"]


@given(st.text(max_size=300))
def test_the_core_of_any_text_is_no_longer_than_it(text: str) -> None:
    assert len(core(text)) <= len(text)


@pytest.mark.parametrize(("text", "name"), [
    # (sentences written for these tests; none of these names is in a gazetteer)
    ("The Fenland Hauliers Guild, which represents 400 firms, said it would strike. "
     "Spain objects.", None),  # no head noun the shapes know: not guessed
    ("The Andean Freight Conference said it would strike unless Peru pays. Chile objects.",
     "Andean Freight Conference"),
    ("Peru says the Callao Dockers Confederation will strike. Chile objects.",
     "Callao Dockers Confederation"),
    ("The Peruvian Pacific Freight company and the port authority will sign the deal. "
     "Chile objects.", "Peruvian Pacific Freight"),
    ("The talks at the mediation service Conciliar resume in May. Peru and Chile attend.",
     "Conciliar"),
    ("The centrist VAMOS party could join the coalition, Peru said.", "VAMOS"),
    ("The People's Renewal Alliance and Peru will open talks. Chile objects.",
     "People's Renewal Alliance"),
    ("The Andean Liberation Front (FLA) and Peru will open talks. Chile objects.",
     "Andean Liberation Front"),
])
def test_named_organisations_are_actors(text: str, name: str | None) -> None:
    from accord.draft.actors import find_actors

    names = {f.name for f in find_actors(text)}
    if name is not None:
        assert name in names
    assert not names & {"Peruvian Trade Minister", "Renewal Alliance", "Liberation Front"}


def test_a_title_or_a_place_after_a_states_adjective_is_no_organisation() -> None:
    from accord.draft.actors import find_actors

    text = ("Peruvian Trade Minister Ana Soto met Chilean officials on the Peruvian coast of "
            "the Pacific Ocean; the Peruvian Navy watched.")
    assert {f.group for f in find_actors(text)} == {"state"}


@pytest.mark.parametrize("sentence", [
    "Rail union sets strike date as pay talks stall",  # a headline
    "Beijing wants the route secured before construction resumes.",
    "Kenyan rivals open power-sharing talks under African Union mediation",
])
def test_a_short_english_sentence_with_few_function_words_is_english(sentence: str) -> None:
    from accord.draft.language import is_english

    assert is_english(sentence)


@pytest.mark.parametrize("sentence", [
    "Die Regierung und die Gewerkschaft wollen bis Ende Mai einen neuen Vertrag schließen.",
    "El gobierno y los rebeldes firmarán un acuerdo de paz en La Habana el próximo mes.",
])
def test_a_sentence_in_another_language_is_not(sentence: str) -> None:
    from accord.draft.language import is_english

    assert not is_english(sentence)


def test_an_event_on_a_day_the_text_gives_is_scheduled_with_its_condition() -> None:
    text = ("The Callao Dockers Confederation said its members would walk off the job on "
            "2 June 2026 unless the port authority raises its pay offer, raising the prospect "
            "of the first national port shutdown in a decade. Peru objects.")
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 5, 1)))
    (strike,) = [e for e in draft.scenario["events"] if e["id"].endswith("strike")]
    assert strike["scheduled"] == dt.date(2026, 6, 2)
    assert strike["when"].startswith("not ")  # unless the offer is raised
    cond = next(e for e in draft.scenario["events"] if e["id"] == strike["when"][4:])
    assert cond["name"] == "the port authority raises its pay offer"


def test_a_hedged_day_is_no_schedule_and_a_day_before_as_of_is_said() -> None:
    text = ("Peru and Chile could sign the treaty on 2 June 2026, a diplomat said. "
            "Peru and Chile will hold talks on 2 March 2026.")
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 5, 1)))
    assert all(e.get("scheduled") is None for e in draft.scenario["events"])
    assert any("2 March 2026 as to come" in r for r in draft.review)


def test_a_sentence_is_listed_for_review_once() -> None:
    text = ("Peru and Chile will sign the treaty in June. Farmers are urging the ministers to "
            "act quickly if prices fall, and exporters want them to act if ports close.")
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 5, 1)))
    listed = [r for r in draft.review if r.startswith("also in the text")]
    assert len(listed) == len(set(listed)) == 1


@pytest.mark.parametrize(("sentence", "low", "high", "source"), [
    # Kent (1964): each class's centre give or take its spread, for words ICD 203 lacks
    ('An aide said the chance of a deal by May was "better than even".', 0.40, 0.60, "Kent 1964"),
    ("Chances are slightly less than even that the talks resume.", 0.40, 0.60, "Kent 1964"),
    ("We doubt the talks will resume before June.", 0.20, 0.40, "Kent 1964"),
    ("A deal is probably not within reach this year.", 0.20, 0.40, "Kent 1964"),
    ("A ceasefire is virtually certain to be extended.", 0.87, 0.99, "Kent 1964"),
    ("Chances are slight that the truce holds.", 0.02, 0.12, "Kent 1964"),
    ("A deal is almost certainly not going to be signed.", 0.02, 0.12, "Kent 1964"),
    # ICD 203's own words keep its ranges
    ("A deal is likely by June.", 0.55, 0.80, "ICD 203"),
    ("A deal is almost certain.", 0.95, 0.99, "ICD 203"),
    # the words as adverbs of a verb in the future: ICD 203's "(probably)", Kent's negations
    ("We think the talks will probably begin within the year.", 0.55, 0.80, "ICD 203"),
    ("Lima will likely reject the offer.", 0.55, 0.80, "ICD 203"),
    ("The strike will very likely go ahead.", 0.80, 0.95, "ICD 203"),
    ("The union is going to almost certainly accept.", 0.95, 0.99, "ICD 203"),
    ("The assembly will improbably approve it.", 0.20, 0.45, "ICD 203"),
    ("The deal will probably not survive the vote.", 0.20, 0.40, "Kent 1964"),
    ("Parliament will almost certainly not ratify it.", 0.02, 0.12, "Kent 1964"),
])
def test_estimative_words_read_by_icd_203_else_kent(sentence: str, low: float, high: float,
                                                    source: str) -> None:
    from accord.draft.cues import estimate, source_of

    found = estimate(sentence)
    assert found is not None and found[:2] == (low, high)
    assert source_of(found[2]) == source


def test_what_would_probably_happen_is_conditional_and_no_estimate() -> None:
    from accord.draft.cues import estimate

    assert estimate("A new drought would probably delay the talks.") is None
    assert estimate("Without a deal, fishing would likely stop.") is None


def test_a_link_inside_a_reason_is_not_the_sentences_link() -> None:
    """"X, because Y until Z": the until joins the reason's parts, not X to Z. The sentence
    is X's, with its chance in words."""
    from accord.draft.clauses import split_links

    text = ("Peru and Chile will probably open talks within the year, not least because the "
            "miners have stopped work until the border is known.")
    assert split_links(text) == []
    assert split_links("Peru and Chile will open talks until the border is known.") != []
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 3, 15)))
    (ev,) = [e for e in draft.scenario["events"] if e["id"].endswith("talks_held")]
    assert "ICD 203's range" in ev["hazard"]["assumption"] and "when" not in ev


def test_the_chance_of_an_event_given_in_kents_words_is_its_rate() -> None:
    text = ("Peru and Chile could sign the border treaty this year. A diplomat said the chance "
            'of the treaty being signed before Christmas was "better than even".')
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 3, 15)))
    (ev,) = [e for e in draft.scenario["events"] if e["id"].endswith("agreement_signed")]
    assert "Kent 1964's range" in ev["hazard"]["assumption"]


def test_a_name_inside_another_actors_name_is_not_that_actor() -> None:
    from accord.draft.typed import actors_in

    actors = [{"id": "army", "name": "Army", "aliases": ["the army"]},
              {"id": "flp", "name": "Andean Liberation Army", "aliases": []},
              {"id": "peru", "name": "Peru", "aliases": []}]
    assert actors_in("Peru and the Andean Liberation Army will meet", actors) == ["peru", "flp"]
    assert actors_in("the Andean Liberation Army said the army would attack", actors) == [
        "flp", "army"]


def test_a_role_before_a_named_actor_is_its_alias() -> None:
    from accord.draft.actors import find_actors

    found = find_actors("Peru's governing party and the opposition People's Renewal Alliance "
                        "will open talks. The opposition says the count was rigged.")
    by_name = {f.name: f for f in found}
    assert "Opposition" not in by_name
    assert "the opposition" in by_name["People's Renewal Alliance"].aliases


def test_an_events_id_says_what_its_name_says_and_stays_short() -> None:
    """Ids are typed into conditions: a typed event's id is its actors' and kind's, an actor's
    id of several words by its initials where the whole would run long; an untyped event's id
    is made of words of its name (not of the clause before its name was cut)."""
    text = ("The United States and Russia could sign a deal before the summer. "
            "The Callao Dockers Confederation said its members would walk off the job on "
            "2 June 2026 unless the port authority raises its pay offer, raising the prospect "
            "of the first national port shutdown in a decade.")
    draft = build(article_of(text, "t.txt", None), Options(as_of=dt.date(2026, 3, 15)))
    ids = {e["id"]: e["name"] for e in draft.scenario["events"]}
    assert "us_russia_agreement_signed" in ids
    assert all(len(i) <= 40 for i in ids)
    untyped = [i for i in ids if draft.typed.get(i) is None]
    assert untyped
    for i in untyped:
        assert all(w in ids[i].lower() for w in i.split("_")), (i, ids[i])


def test_a_state_named_only_inside_an_organisations_name_is_not_an_actor() -> None:
    from accord.draft.actors import find_actors

    text = ("Peru and Chile met in Lima. The Economic Community of Central African States "
            "has offered to host the next round of talks between them.")
    ids = [f.id for f in find_actors(text)]
    assert "economic_community_of_central_african_states" in ids
    assert "central_african_republic" not in ids
    also = find_actors(text + " The Central African Republic sent an observer.")
    assert "central_african_republic" in [f.id for f in also]
