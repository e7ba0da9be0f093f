"""`accord draft`: a text -> a first scenario that validates and runs, for an analyst to review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli import options as o
from accord.cli.app import app

# The draft package (pysbd, countryinfo, dateparser, rapidfuzz) is imported in the command's
# body: registering the command costs nothing.


@app.command()
def draft(
    article: str = typer.Argument(..., help="a plain-text or HTML file, or - for standard input"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="YYYY-MM-DD (default: a date in the text's first lines, else today)"
    ),
    title: str | None = typer.Option(None, "--title", help="the scenario's title"),
    id_: str | None = typer.Option(None, "--id", help="the scenario's id"),
    horizon: int = typer.Option(24, "--horizon", help="months to forecast from as-of"),
    out_named: Path | None = o.out_file_option("the YAML (default: stdout)"),
    out_alias: Path | None = o.OutFileAlias,
    llm: str | None = typer.Option(
        None, "--llm", help="an OpenAI-compatible endpoint proposing more (key: $ACCORD_LLM_KEY)"
    ),
    json_: bool = o.Json,
) -> None:
    """Draft a scenario from a text: actors, events, links, dates, questions, every one quoted.

    Numbers the text does not give are wide defaults marked for review, listed atop the file.
    With --json: one document with the YAML, the counts and the review list (the YAML still
    goes to --out-file when given).
    """

    from accord.cli.common import err
    from accord.errors import UserError

    try:
        from accord.draft.build import Options, build
        from accord.draft.text import read_article
        from accord.draft.writer import finished
    except ModuleNotFoundError as exc:
        raise UserError.at(f"accord draft needs the 'draft' extra ({exc.name} is missing): "
                           "pip install 'accord[draft]'") from None

    out_file = o.out_file(out_named, out_alias)
    options = Options(as_of=_date(as_of), title=title, id=id_, horizon=horizon)
    text = read_article(article)
    result = build(text, options)
    if llm:
        from accord.draft.llm import improve

        for line in improve(result, text, llm):
            err.print(f"llm: {line}", highlight=False, markup=False)
    dirs = [Path(article).resolve().parent] if text.file is not None else None
    try:
        yaml_text, loaded = finished(result, text, str(out_file or "draft.yaml"), dirs)
    except UserError as exc:  # the draft is ours: failing our own check is a bug
        raise RuntimeError(f"the draft failed its own validation: {exc}") from None
    _emit(yaml_text, loaded.scenario, result.review, out_file, json_)


def _emit(yaml_text: str, s: Any, review: list[str], out_file: Path | None,
          json_: bool) -> None:
    """The draft to --out-file or stdout, or as one JSON document; its counts on stderr."""
    import sys

    from accord.cli.common import err

    if out_file is not None:
        out_file.write_text(yaml_text, encoding="utf-8")
    if json_:
        from accord.cli.common import print_json

        print_json({"file": str(out_file) if out_file else None, "actors": len(s.actors),
                    "events": len(s.events), "questions": len(s.questions),
                    "review": list(review), "yaml": yaml_text})
        return
    if out_file is None:
        sys.stdout.write(yaml_text)
    err.print(
        f"drafted {len(s.actors)} actors, {len(s.events)} events, {len(s.questions)} questions"
        + (f" -> {out_file}" if out_file else "") + f"; {len(review)} items to review "
        "(listed at the top of the file)",
        highlight=False, markup=False,
    )


def _date(text: str | None):  # noqa: ANN202 - datetime imported lazily
    import datetime as dt

    from accord.errors import UserError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError.at(f"cannot read the date '{text}': write YYYY-MM-DD",
                           field="as_of") from None
