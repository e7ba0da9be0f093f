"""An option means one thing in every command, and the README says what the commands take.

The options shared by several commands (`--seed`, `--workers`, `--paths`, `--json`, ...) have
one help text and one default wherever they appear (`--paths` differs only in its default and
in what one run is). The README's command list names only real options of each command, and
every option of a command is either in its line there or in the README's table of shared
options, which is generated here from the commands themselves.
"""

from __future__ import annotations

import re
from typing import Any

import typer.main

from accord.analysis.recipe import DEFAULT_SEED
from accord.cli import _register, app
from accord.cli.options import DEFAULT_PATHS

from .shared_paths import REPO

# Options whose meaning the README's table states once for every command.
SHARED = ("--paths", "--seed", "--draws", "--workers", "--cluster", "--json", "--db",
          "--sources", "--with", "--observed", "--exact", "--question")


def _commands() -> dict[str, Any]:
    _register()
    out: dict[str, Any] = {}
    for name, cmd in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        for sub, leaf in getattr(cmd, "commands", {}).items():
            out[f"{name} {sub}"] = leaf
        if not hasattr(cmd, "commands"):
            out[name] = cmd
    return out


COMMANDS = _commands()


def _options(cmd: Any) -> dict[str, Any]:
    """A command's documented options: a hidden one (an old spelling still read, such as
    `predict --out FILE` for --out-file) is left out of the documentation on purpose."""
    return {o: p for p in cmd.params for o in p.opts
            if o.startswith("--") and o != "--help" and not p.hidden}


def shared_table() -> str:
    """The README's table of shared options, from the commands' own declarations."""
    rows = ["| option | meaning | default | commands |", "|---|---|---|---|"]
    for opt in SHARED:
        having = {name: _options(c)[opt] for name, c in COMMANDS.items() if opt in _options(c)}
        eaches = sorted({m[1] for p in having.values()
                         if (m := re.search(r" of each ([\w ]+),", p.help))}, key=len)
        helps = {re.sub(r" of each [\w ]+,", f" of each {' / '.join(eaches)},", p.help)
                 for p in having.values()}
        defaults = sorted({str(p.default) for p in having.values()
                           if p.default not in (None, False)}, key=len)
        rows.append(f"| `{opt}` | {' / '.join(sorted(helps))} | "
                    f"{' or '.join(defaults) or '—'} | {', '.join(sorted(having))} |")
    return "\n".join(rows) + "\n"


def test_shared_options_mean_the_same_in_every_command() -> None:
    for opt in SHARED:
        params = [_options(c)[opt] for c in COMMANDS.values() if opt in _options(c)]
        assert len(params) >= 2, opt
        if opt == "--paths":
            assert all(re.fullmatch(r"Monte Carlo paths of each [\w ]+, all parameter draws "
                                    r"together", p.help) for p in params)
            continue
        assert len({p.help for p in params}) == 1, (opt, {p.help for p in params})
        assert len({repr(p.default) for p in params}) == 1, (opt, {p.default for p in params})


def test_one_seed_and_one_workers_default() -> None:
    seeds = {name: _options(c)["--seed"].default for name, c in COMMANDS.items()
             if "--seed" in _options(c)}
    assert set(seeds.values()) == {DEFAULT_SEED}, seeds
    assert {"evaluate", "exchange", "run", "sensitivity"} <= set(seeds)
    workers = {_options(c)["--workers"].default for c in COMMANDS.values()
               if "--workers" in _options(c)}
    assert workers == {1}
    paths = {_options(c)["--paths"].default for c in COMMANDS.values() if "--paths" in
             _options(c)}
    assert DEFAULT_PATHS in paths


def _readme_command_lines() -> dict[str, set[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```", 2)[1]
    doc: dict[str, set[str]] = {}
    current: list[str] = []
    for line in block.splitlines():
        m = re.match(r"accord ([a-z|]+(?: (?:list|resolve|score|verify))?)", line)
        if m:
            current = m.group(1).split("|") if "|" in m.group(1) else [m.group(1)]
            for name in current:
                doc.setdefault(name, set())
        for name in current:
            doc[name] |= set(re.findall(r"--[a-z][a-z-]*", line))
    return doc


def test_the_readme_command_list_names_real_options_and_the_rest_are_shared() -> None:
    doc = _readme_command_lines()
    assert set(COMMANDS) <= set(doc), sorted(set(COMMANDS) - set(doc))
    for name, cmd in COMMANDS.items():
        real = set(_options(cmd))
        assert doc[name] <= real, (name, sorted(doc[name] - real))
        assert real <= doc[name] | set(SHARED), (name, sorted(real - doc[name] - set(SHARED)))


def test_the_readme_table_of_shared_options_is_the_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = shared_table()
    assert table in text, f"README's shared-options table should read:\n{table}"


def test_a_bad_choice_exits_2(cli: Any) -> None:
    for args in (("sensitivity", "--method", "bogus"), ("evaluate", "x.csv", "--issues",
                                                          "y.csv", "--model", "bogus"),
                 ("ledger", "resolve", "a", "b", "maybe", "--on", "2025-01-01")):
        r = cli(*args)
        assert r.code == 2 and "is not one of" in r.err, (args, r.err)
