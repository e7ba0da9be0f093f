"""An option means one thing in every command, and the documentation says what commands take.

The options shared by several commands (`--seed`, `--workers`, `--paths`, `--json`, ...) have
one help text and one default wherever they appear (`--paths` differs only in its default and
in what one run is). The command reference (docs/reference/cli.md) is generated from the
commands by docs/hooks/cli_reference.py: every command has its section there, listing exactly
its options. The hand-written table of shared options on that page is the one generated here
from the commands themselves, and every `accord CMD --option` written in a shell block of the
README or the documentation is a real option of CMD.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import typer.main

from accord.analysis.recipe import DEFAULT_SEED
from accord.cli import _register, app
from accord.cli.options import DEFAULT_PATHS

from .shared_paths import REPO

# Options whose meaning the reference's table states once for every command.
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
    """The reference's table of shared options, from the commands' own declarations."""
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


def _hook() -> ModuleType:
    path = REPO / "docs" / "hooks" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference_hook", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference_sections() -> dict[str, set[str]]:
    """Per command in the generated reference, the options its table lists."""
    text = _hook().cli_reference()
    sections: dict[str, set[str]] = {}
    for part in text.split("\n### accord ")[1:]:
        name, body = part.split("\n", 1)
        rows = body.split("**Options**", 1)[1] if "**Options**" in body else ""
        sections[name.strip()] = {o for line in rows.splitlines() if line.startswith("| `")
                                  for o in re.findall(r"`(--[a-z][a-z-]*)`", line.split(" | ")[0])}
    return sections


def test_the_generated_reference_has_every_command_and_exactly_its_options() -> None:
    sections = _reference_sections()
    assert set(sections) == set(COMMANDS), sorted(set(sections) ^ set(COMMANDS))
    for name, cmd in COMMANDS.items():
        real = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")
                and o != "--help" and not getattr(p, "hidden", False)}
        assert sections[name] == real, (name, sorted(sections[name] ^ real))


def test_the_reference_page_holds_the_generated_commands() -> None:
    page = (REPO / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert _hook().MARKER in page


def test_the_reference_table_of_shared_options_is_the_commands() -> None:
    text = (REPO / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    table = shared_table()
    assert table in text, f"docs/reference/cli.md's shared-options table should read:\n{table}"


def _documented_command_lines() -> list[tuple[Path, str]]:
    """Every `accord ...` invocation in a ```sh block of the README or the documentation."""
    found: list[tuple[Path, str]] = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        for block in re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            for line in block.splitlines():
                code = line.split(" #", 1)[0]
                found += [(path, m) for m in re.findall(r"(?:^|&&|;)\s*(accord [^&;]*)", code)]
    return found


def test_every_documented_option_is_a_real_option_of_its_command() -> None:
    lines = _documented_command_lines()
    assert len(lines) >= 50, len(lines)
    seen: set[str] = set()
    for path, line in lines:
        words = line.split()
        name = " ".join(words[1:3]) if " ".join(words[1:3]) in COMMANDS else words[1]
        assert name in COMMANDS, (path.name, line)
        seen.add(name)
        real = {o for p in COMMANDS[name].params for o in (*p.opts, *p.secondary_opts)}
        written = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))
        assert written <= real, (path.name, line, sorted(written - real))
    assert len(seen) >= 15, sorted(set(COMMANDS) - seen)


def test_a_bad_choice_exits_2(cli: Any) -> None:
    for args in (("sensitivity", "--method", "bogus"), ("evaluate", "x.csv", "--issues",
                                                          "y.csv", "--model", "bogus"),
                 ("ledger", "resolve", "a", "b", "maybe", "--on", "2025-01-01")):
        r = cli(*args)
        assert r.code == 2 and "is not one of" in r.err, (args, r.err)
