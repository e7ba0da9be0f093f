"""Organisations named by an acronym the text never spells out (accord.draft.acronyms)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.draft.acronyms import bare_acronyms
from accord.draft.actors import find_actors

TEXT = ("The CDA and the VVD's leader met D66 in The Hague. The VVD wants cuts; D66 does not, "
        "and the CDA is undecided. The PVV was not invited.")


def test_an_acronym_written_twice_is_an_organisation() -> None:
    names = [f.name for f in bare_acronyms(TEXT, set())]
    assert names == ["CDA", "VVD", "D66"]  # in order of first mention; the PVV only once
    assert {f.group for f in bare_acronyms(TEXT, set())} == {"organisation"}
    ids = [f.id for f in find_actors("Peru and Chile met. " + TEXT)]
    assert {"cda", "vvd", "d66"} <= set(ids) and "pvv" not in ids


def test_measures_numerals_units_and_known_names_are_not() -> None:
    text = ("GDP grew by 2 percent, and GDP per head rose. The plant makes 150 MW; a second, "
            "200 MW. World War II ended; II Corps left. The UN and the UN envoy. "
            "M23 fighters took Goma; M23 then advanced. Q3 and Q3 again.")
    names = [f.name for f in bare_acronyms(text, {"UN"})]
    assert names == ["M23"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ABCDVX0123456789 -'’s.,\n"), max_size=300))
def test_whatever_the_text_each_acronym_found_is_written_twice(text: str) -> None:
    for f in bare_acronyms(text, set()):
        assert f.mentions >= 2 and text.count(f.name) >= 2
        assert all(text[at:at + n] == f.name for at, n in f.seen)
