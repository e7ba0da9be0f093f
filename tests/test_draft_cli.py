"""`accord draft` on the command line: a draft that `validate --sources` accepts and `run`
runs; bad input exits 2 with one message naming the file; arbitrary text never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.draft.build import Options, build
from accord.draft.text import article_of, read_article
from accord.draft.writer import finished
from accord.errors import UserError
from accord.scenario.evidence import quote_occurs

DATA = Path(__file__).parent / "data" / "draft"


def test_draft_validates_and_runs_through_the_cli(cli, tmp_path: Path) -> None:
    out = tmp_path / "river.yaml"
    r = cli("draft", str(DATA / "river_treaty.txt"), "--out", str(out), "--horizon", "12",
            "--title", "River talks", "--id", "river")
    assert r.code == 0, r.err
    assert out.read_text().startswith("# A DRAFT")
    r = cli("validate", str(out), "--sources", str(DATA))
    assert r.code == 0 and "0 warning(s)" in r.out, r.out + r.err
    r = cli("run", str(out), "--paths", "200", "--no-report", "--json")
    assert r.code == 0, r.err


def test_draft_reads_standard_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (DATA / "indus_water.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))
    r = cli("draft", "-", "--as-of", "2026-07-05")
    assert r.code == 0, r.err
    assert "as_of: 2026-07-05" in r.out and "id: pakistan" in r.out


ENGLISH = "Armenia and Turkey could sign a protocol in Istanbul on 12 November 2026. "
FRENCH = ("La France et l'Allemagne pourraient signer un accord commercial avec le Brésil d'ici "
          "la fin de l'année, si Paris accepte les quotas proposés par Bruxelles.")
CHINESE = "中国和印度可能在年底前签署贸易协定。谈判将于二零二六年五月在北京恢复，双方官员表示。"


def test_a_mixed_text_drafts_its_english_and_says_what_it_skipped(cli, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text(ENGLISH + "The talks could break down if Ankara insists on its terms, and "
                    "the border would then stay closed for another year. " + FRENCH + "\n")
    out = tmp_path / "d.yaml"
    r = cli("draft", str(path), "--out-file", str(out))
    assert r.code == 0, r.err
    assert "1 sentence(s) not in English skipped" in out.read_text()
    assert cli("validate", str(out), "--sources", str(tmp_path)).code == 0


def _big(path: Path) -> Path:
    with path.open("wb") as f:  # sparse: 50 MB on disk costs nothing
        f.truncate(50_000_000)
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
    (lambda p: p.write_bytes("Armenia could sign.".encode("latin-1") + b"\xe9\xff"), "UTF-8"),
    (_big, "limit"),
    (lambda p: p.write_text("The sky is blue over Armenia. Cats sleep in Baku today."),
     "nothing to draft"),
    (lambda p: p.write_text("The weather could improve soon, some said, and it will rain."),
     "names no state"),
    (lambda p: p.write_text(ENGLISH * (5_000_000 // len(ENGLISH) + 1)), "limit"),  # 5 MB
    (lambda p: p.write_text(FRENCH), "does not read as English"),
    (lambda p: p.write_text(CHINESE), "does not read as English"),
])
def test_bad_input_exits_2_naming_the_file(cli, tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "article.txt"
    make(path)
    r = cli("draft", str(path))
    assert r.code == 2 and r.out == ""
    assert str(path) in r.err and message in r.err and len(r.err.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "option"), [
    (["--as-of", "2025-13-40"], "--as-of"), (["--horizon", "0"], "--horizon"),
    (["--id", "bad id/x"], "--id"),
])
def test_bad_options_exit_2(cli, args: list[str], option: str) -> None:
    r = cli("draft", str(DATA / "cyprus.txt"), *args)
    assert r.code == 2 and option in r.err and r.out == ""


def test_missing_file_exits_2(cli, tmp_path: Path) -> None:
    r = cli("draft", str(tmp_path / "nope.txt"))
    assert r.code == 2 and "nope.txt" in r.err


WORDS = ["Armenia", "Baku", "Turkish", "the EU", "NATO", "could", "will", "unless", "if",
         "depends on", "only after", "in exchange for", "provided that", "fails", "collapse",
         "summit", "on 12 May 2026", "30% chance", "the treaty", "sign", "border", "—", ",",
         ".", ":", ";", "(NBI)", "Nile Basin Initiative", "President Ilham Aliyev", "\n\n",
         "Prime Minister", "’s", "it", "that", "would trigger", "is a precondition for",
         "ratify", "ceasefire", "strike", "talks", "a referendum", "signed in 2009", "union",
         "hold elections", "establish diplomatic relations", "Les négociations", "中国"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=40).map("".join),
))
def test_arbitrary_text_drafts_or_is_a_user_error(text: str) -> None:
    try:
        article = article_of(text, "t.txt", None)
        draft = build(article, Options())
    except UserError:
        return
    _, loaded = finished(draft, article, "t.yaml")  # a draft always loads, strictly
    quotes = [ev.quote for _, p in loaded.scenario.parameters() for ev in p.evidence]
    assert all(quote_occurs(q, article.verify) for q in quotes), repr(text)
    assert not any("dropped: not found again" in r for r in draft.review), repr(text)
    s = loaded.scenario  # issue 29: never a name cut short, one question at most per event
    assert not any(e.name.endswith(("…", "...")) for e in s.events), repr(text)
    asked = [q.event for q in s.questions]
    assert len(asked) == len(set(asked)) and set(draft.typed) <= set(asked), repr(text)


def test_html_entities_and_list_items(tmp_path: Path) -> None:
    page = tmp_path / "strait.html"
    page.write_text(
        "<html><body><h2>Strait</h2><p>March 1, 2026</p><p>Washington&rsquo;s commitment "
        "hinges on Congress approving new arms sales &mdash; a vote expected in June 2026.</p>"
        "<ul><li>A blockade would trigger sanctions from the G7.</li><li>Japan may open its "
        "bases to US forces if China imposes a quarantine.</li></ul></body></html>")
    article = read_article(str(page))
    draft = build(article, Options())
    _, loaded = finished(draft, article, "s.yaml", [tmp_path])
    s = loaded.scenario
    assert {"united_states", "japan", "china", "g7"} <= {a.id for a in s.actors}
    when = {e.id: e.when for e in s.events}
    assert when["japan_open_bases_forces"] == "china_imposes_quarantine"  # one list item each
    assert when["washington_commitment"] == "congress_approving_new_arms"
    assert s.event("washington_commitment").scheduled is None  # the vote is not the event
