"""`fit` decides from a table's sizing rows what the whole table would do, and its blocks keep
every character: checked against rendering the whole table, on arbitrary cells and widths."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table

from accord.report.console import fit, overflows

WORD = st.text(alphabet="abcdefghij0123456789.%→–_", min_size=1, max_size=14)
CELL = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


def whole_overflows(console: Console, table: Table) -> bool:
    """The reference: print the whole table; look for a cut, a line too wide, a word lost."""
    probe = Console(width=console.width, file=io.StringIO(), color_system=None, soft_wrap=True)
    probe.print(table)
    text = probe.file.getvalue()
    shown = "".join(text.split())
    words = [w for col in table.columns for c in (col.header, *col.cells) for w in str(c).split()]
    return ("…" in text or any(len(line) > console.width for line in text.splitlines())
            or any(w not in shown for w in words))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    cols = draw(st.integers(1, 7))
    head = draw(st.lists(WORD, min_size=cols, max_size=cols))
    rows = draw(st.lists(st.lists(CELL, min_size=cols, max_size=cols), min_size=0, max_size=12))
    return head, rows


def build(head: list[str], rows: list[list[str]]) -> Table:
    t = Table(title="t", title_justify="left")
    for i, h in enumerate(head):
        t.add_column(h, justify="left" if i == 0 else "right")
    for r in rows:
        t.add_row(*r)
    return t


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(20, 140))
def test_the_sizing_rows_cut_where_the_whole_table_cuts(table, width: int) -> None:
    head, rows = table
    console = Console(width=width, file=io.StringIO(), color_system=None)
    whole = build(head, rows)
    assert overflows(console, whole) == whole_overflows(console, whole)
    assert whole.row_count == len(rows)  # the probe left the table as it was


@settings(max_examples=60, deadline=None)
@given(tables(), st.integers(20, 140))
def test_the_blocks_keep_every_word_and_fit_the_console(table, width: int) -> None:
    head, rows = table
    console = Console(width=width, file=io.StringIO(), color_system=None, soft_wrap=True)
    console.print(fit(console, build(head, rows), head, rows))
    text = console.file.getvalue()
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    flat = "".join(text.split())  # a word folded over lines is whole again here
    for r in rows:
        for c in r:
            assert all(w in flat for w in c.split())
