"""`accord explain` for people: a console tree and an offline HTML page."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from accord.analysis.explain import Blocker, Explanation, flatten
from accord.report.console import outside_text, pct


def print_explanation(e: Explanation, console: Any, labels: dict[str, str] | None = None
                      ) -> None:
    """The tree of blockers, the route of the yes paths and, when computed, what moves the
    question (parameters by their readable `labels`, the machine name below)."""
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    console.print(f"[bold]{e.question}[/]: {e.text}", highlight=False)
    console.print(f"P(yes by {e.by}) = {pct(e.probability)} "
                  f"({'exact, central values' if e.method == 'exact' else e.method})",
                  highlight=False)
    if e.cannot:
        console.print(f"why 0%: {e.cannot}", style="bold", highlight=False, markup=False)
    if e.outside_view:
        console.print(outside_text(e.probability, e.outside_view), style="dim",
                      highlight=False, markup=False)
    tree = Tree(Text(f"why not: {pct(1 - e.probability)} of paths end 'no', each at one "
                     "blocker", overflow="fold"))

    def grow(node: Any, bs: list[Blocker]) -> None:
        for b in bs:
            if b.share >= 0.0005:
                grow(node.add(Text(f"{pct(b.share)}  {b.what}", overflow="fold")), b.children)

    grow(tree, e.blockers)
    console.print(tree, soft_wrap=False)
    if e.route:
        t = Table("step", "on % of yes paths", "median month", title="how the 'yes' paths go",
                  title_justify="left")
        for r in e.route:
            t.add_row(f"{r.name}\n({r.event})", pct(r.share), r.median_date)
        console.print(t)
    if e.drivers:
        labels = labels or {}
        t = Table("parameter", "P at its low", "P at its high",
                  title=f"what moves it most: a tornado around {pct(e.drivers[0]['base'])}",
                  title_justify="left", caption=tornado_caption(e), caption_justify="left")
        for d in e.drivers:
            name = labels.get(d["parameter"], d["parameter"])
            t.add_row(name if name == d["parameter"] else f"{name}\n[dim]{d['parameter']}[/]",
                      pct(d["p_at_low"]), pct(d["p_at_high"]))
        console.print(t)
    console.print()


def tornado_caption(e: Explanation) -> str:
    """What the tornado is centred on, and why that is or is not the answer above it."""
    d0 = e.drivers[0]
    n = f"{d0['paths_per_variant']:,} paths per variant"
    if d0.get("centred"):
        return (f"Centred on the answer, {pct(e.probability)}: each end is the answer plus the "
                f"change the parameter makes in a quick tornado ({n}, on common random "
                f"numbers; its own base {pct(d0['tornado_base'])}).")
    if e.method.startswith("exact"):
        return (f"Around {pct(d0['base'])}, not the answer's {pct(e.probability)}: the answer "
                "is exact at the parameters' central values; the tornado draws them "
                f"(Monte Carlo, {n}).")
    return f"Around its own base run ({n})."


def print_answers(found: list[Explanation], console: Any) -> None:
    """The last lines of `accord explain`, as of `accord run`: each question's answer."""
    from rich.table import Table
    from rich.text import Text

    g = Table.grid(padding=(0, 2))
    for justify in ("left", "right", "left", "left"):
        g.add_column(no_wrap=True, justify=justify)  # type: ignore[arg-type]
    for e in found:
        history = (f"history {pct(e.outside_view['probability'])}" if e.outside_view else "")
        g.add_row(f"  {e.question}", pct(e.probability), f"by {e.by}", history)
    console.print(Text("Answers (P · date)", style="bold"), g)


def section(e: Explanation, labels: dict[str, str] | None = None) -> str:
    rows = "".join(
        f'<tr><td style="padding-left:{0.5 + 1.5 * d}rem">{html.escape(b.what)}</td>'
        f"<td>{pct(b.share)}</td></tr>"
        for d, b in flatten(e.blockers) if b.share >= 0.0005)
    route = "".join(f"<tr><td>{html.escape(r.name)} <code>{r.event}</code></td>"
                    f"<td>{pct(r.share)}</td><td>{r.median_date}</td></tr>" for r in e.route)
    labels = labels or {}
    moves = "".join(f"<tr><td>{html.escape(labels.get(d['parameter'], d['parameter']))}<br>"
                    f"<code>{html.escape(d['parameter'])}</code></td>"
                    f"<td>{pct(d['p_at_low'])}</td><td>{pct(d['p_at_high'])}</td></tr>"
                    for d in e.drivers)
    out = (f"<section><h2>{html.escape(e.text)} <small><code>{e.question}</code></small></h2>"
           f"<p>P(yes by {e.by}) = <b>{pct(e.probability)}</b>."
           + (f" <b>Why 0%: {html.escape(e.cannot)}.</b>" if e.cannot else "")
           + (f" <span class='dim'>{html.escape(outside_text(e.probability, e.outside_view))}"
              "</span>" if e.outside_view else "")
           + f" The {pct(1 - e.probability)} of paths that end “no” are each attributed to "
           "one blocker:</p>"
           f"<table><tr><th>blocker</th><th>share of paths</th></tr>{rows}</table>")
    if route:
        out += ("<h3>How the “yes” paths go</h3><table><tr><th>step</th>"
                f"<th>on % of yes paths</th><th>median month</th></tr>{route}</table>")
    if moves:
        out += (f"<h3>What moves it most</h3><p class='dim'>{html.escape(tornado_caption(e))}"
                "</p><table><tr><th>parameter</th><th>P at its low</th>"
                f"<th>P at its high</th></tr>{moves}</table>")
    return out + "</section>"


def write_explain_page(found: list[Explanation], title: str, folder: Path,
                       labels: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>accord · why: {html.escape(title)}</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;color:#222}"
            "table{border-collapse:collapse;margin-bottom:1rem}td,th{padding:.2rem .6rem;"
            "border-bottom:1px solid #ddd;text-align:left}</style></head><body>"
            f"<h1>Why: {html.escape(title)}</h1>"
            + "".join(section(e, labels) for e in found) + "</body></html>")
    out = folder / "explain.html"
    out.write_text(page, encoding="utf-8")
    return out
