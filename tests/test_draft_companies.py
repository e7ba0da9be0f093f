"""Companies and named bodies as the drafter finds them (accord.draft.actors,
accord.draft.named_orgs): a company's name and its short form; a name after its common noun."""

from __future__ import annotations

from accord.draft.actors import find_actors

MINE = ("Chile's government and Australia's Andes Copper Mining are close to terms on the "
        "royalty, officials said. Andes Copper has agreed to drop its claims. Australia's "
        "trade ministry welcomed the talks.")


def _actors(text: str) -> dict[str, list[str]]:
    return {f.id: [f.name, *f.aliases] for f in find_actors(text)}


def test_a_company_is_its_own_actor_with_its_short_name() -> None:
    actors = _actors(MINE)
    assert actors["andes_copper_mining"] == ["Andes Copper Mining", "Andes Copper"]
    assert {"chile", "australia"} <= set(actors)  # the owner's state, named again on its own
    company = next(f for f in find_actors(MINE) if f.id == "andes_copper_mining")
    assert company.mentions == 2


def test_a_company_s_last_word_alone_is_no_alias_and_a_known_name_is_kept() -> None:
    text = ("Norway's Fjord Airlines and the pilots met. Fjord Airlines said talks went well; "
            "Norway said nothing.")
    assert _actors(text)["fjord_airlines"] == ["Fjord Airlines"]  # "Fjord" alone: never written


def test_a_name_after_a_plural_s_possessive_and_its_noun() -> None:
    for text, name in [
        ("The farmers' association Agrovia said it would block the roads, and Peru's "
         "government did not answer.", "Agrovia"),
        ("Peru's government met the teachers' union Sutep on Monday.", "Sutep"),
        ("The GMB union and Peru's government met.", "GMB"),
    ]:
        assert name in {f.name for f in find_actors(text)}, text


def test_whoever_has_a_chief_executive_is_a_company() -> None:
    text = ("Talks at Nordhavn stalled. Nordhavn's chief executive said the offer was final, "
            "and Peru's government stayed out of it.")
    company = next(f for f in find_actors(text) if f.id == "nordhavn")
    assert company.group == "organisation" and company.first == text.index("Nordhavn")
