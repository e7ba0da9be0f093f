"""Scenario files → a validated Scenario, or every problem at once with file, line and field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem, UserError
from accord.scenario.model import Scenario

# Parsing and checking (YAML, the checks, pydantic's messages) are imported where a text is
# validated: a scenario found in accord.scenario.cache needs none of them.

Lines = Callable[[tuple[str | int, ...]], int | None]

DEFAULT_SCENARIO = "south-caucasus-2025"
BUILTIN_PACKAGE = "accord.scenarios"


@dataclass
class Loaded:
    """A scenario together with where it came from (for messages, write-back and the store)."""

    scenario: Scenario
    text: str
    name: str
    parsed: Any  # ruamel's round-trip tree, or None until `tree` is first asked for
    warnings: list[Problem] = field(default_factory=list)
    source_dirs: list[Path] = field(default_factory=list)
    require_texts: bool = False
    observations: Any = None  # its own `observed:` section (accord.scenario.observations)
    # numbers and dates written into conditions, without provenance (checks.condition_literals)
    unsourced: list[Problem] = field(default_factory=list)
    # each source text the quote check looked for → the hash of what it read, None if absent
    consulted: dict[str, str | None] = field(default_factory=dict)

    @property
    def tree(self) -> Any:
        """The round-trip tree (lines, comments), parsed on first use: overlays and editors."""
        if self.parsed is None:
            from accord.scenario.yamlio import load_yaml

            self.parsed = load_yaml(self.text, self.name)
        return self.parsed


def _problem(lines: Lines, name: str, loc: tuple[str | int, ...], message: str) -> Problem:
    from accord.scenario.yamlio import field_path

    return Problem(message, file=name, line=lines(loc), field=field_path(loc) or None)


def parse_scenario(
    text: str,
    name: str,
    *,
    source_dirs: list[Path] | None = None,
    require_texts: bool = False,
    strict: bool = False,
) -> Loaded:
    """Validate scenario text. `strict` makes provenance gaps errors rather than warnings.

    A fast libyaml parse first (accord.scenario.fastyaml); when it has doubts, or the scenario
    has any error, the round-trip parse does it all again, so errors name ruamel's lines.
    """
    from accord.scenario.fastyaml import load_fast
    from accord.scenario.yamlio import line_of, load_yaml, to_plain

    fast = load_fast(text)
    if fast is not None and isinstance(fast.data, dict) and "observed" not in fast.data:
        try:
            return _validate(text, name, None, fast.data, fast.line_of, source_dirs or [],
                             require_texts=require_texts, strict=strict)
        except UserError:
            pass  # said again below, with the round trip's lines
    tree = load_yaml(text, name)
    if not isinstance(tree, dict):
        raise UserError.at(
            "a scenario must be a YAML mapping with meta, actors, ...", file=name, line=1
        )
    return _validate(text, name, tree, to_plain(tree), lambda loc: line_of(tree, loc),
                     source_dirs or [], require_texts=require_texts, strict=strict)


def _validate(text: str, name: str, tree: Any, plain: dict[str, Any], lines: Lines,
              source_dirs: list[Path], *, require_texts: bool, strict: bool) -> Loaded:
    """The Scenario of plain data, every problem located by `lines`."""
    from pydantic import ValidationError

    from accord.scenario import checks
    from accord.scenario.messages import pydantic_message, written_loc
    from accord.scenario.reach import unreachable_questions

    observations = None
    if "observed" in plain:  # what happened after as_of (accord.scenario.observations)
        from accord.scenario.observations import observations_of_scenario

        plain.pop("observed")
        observations = observations_of_scenario(tree, name)
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            err = {**e, "loc": written_loc(plain, tuple(e["loc"]), missing=e["type"] == "missing"),
                   "pydantic_loc": tuple(e["loc"])}
            problems.append(_problem(lines, name, err["loc"], pydantic_message(Scenario, err)))
        raise UserError(sorted(problems, key=lambda p: p.line or 0)) from None
    errors = [
        _problem(lines, name, loc, msg)
        for check in checks.STRUCTURAL_CHECKS
        for loc, msg in check(scenario)
    ]
    consulted: dict[str, str | None] = {}
    q_err, q_warn = checks.check_quotes(scenario, source_dirs, require_texts, consulted)
    errors += [_problem(lines, name, loc, msg) for loc, msg in q_err]
    warnings = [_problem(lines, name, loc, msg) for loc, msg in q_warn]
    warnings += [_problem(lines, name, ("questions", i, "by"), why)
                 for i, why in unreachable_questions(scenario)]
    gaps = [_problem(lines, name, loc, msg) for loc, msg in checks.check_provenance(scenario)]

    (errors if strict else warnings).extend(gaps)
    if errors:
        raise UserError(sorted(errors, key=lambda p: p.line or 0))
    if observations is not None:
        observations.months(scenario)  # checked now, like the rest of the file
    unsourced = [_problem(lines, name, loc, msg)
                 for loc, msg in checks.condition_literals(scenario)]
    return Loaded(scenario, text, name, tree, warnings, list(source_dirs), require_texts,
                  observations, unsourced, consulted)


def builtin_root() -> Path:
    """The folder of the built-in scenarios, overlays and templates (`accord.scenarios`).

    accord is installed as a folder (its wheel is never zipped), so the package's own path is
    where its files are: importlib.resources would find the same folder, after importing its
    readers for zipped packages (zipfile among them), ~5 ms of every command that loads one."""
    import accord.scenarios

    return Path(accord.scenarios.__file__).parent


def builtin_names() -> list[str]:
    return sorted(p.name.rsplit(".", 1)[0] for p in builtin_root().iterdir()
                  if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    return (builtin_root() / f"{name}.yaml").read_text(encoding="utf-8")


def builtin_path(name: str) -> str:
    """Where a built-in scenario's file lives, for a user who wants to copy or read it."""
    return str(builtin_root() / f"{name}.yaml")


def template_text(as_of: dt.date) -> str:
    """The commented starting scenario of `accord new`, dated from `as_of`, asking one year on."""
    text = (builtin_root() / "templates" / "new.yaml").read_text(encoding="utf-8")
    by = dt.date(as_of.year + 1, as_of.month, min(as_of.day, 28))
    return text.replace("{AS_OF}", as_of.isoformat()).replace("{BY}", by.isoformat())


def load_scenario(
    ref: str | Path | None = None,
    *,
    sources: Path | None = None,
    strict: bool = False,
) -> Loaded:
    """A file path or a built-in scenario's id (default: the built-in default scenario)."""
    ref = DEFAULT_SCENARIO if ref is None else ref
    path = Path(ref)
    dirs = [sources] if sources is not None else []
    if sources is not None and not sources.is_dir():
        raise UserError.at("--sources must be a folder", file=str(sources))
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in str(ref):
        from accord.scenario.yamlio import read_text

        text = read_text(path, "scenario file")
        return cached_parse(text, str(path), source_dirs=[*dirs, path.parent],
                            require_texts=sources is not None, strict=strict)
    if str(ref) in builtin_names():
        return cached_parse(builtin_text(str(ref)), f"builtin:{ref}", source_dirs=dirs,
                            require_texts=sources is not None, strict=strict)
    raise UserError.at(
        f"no scenario file or built-in scenario named '{ref}' "
        f"(built-in: {', '.join(builtin_names())})"
    )


def cached_parse(text: str, name: str, *, source_dirs: list[Path], require_texts: bool,
                 strict: bool) -> Loaded:
    """`parse_scenario`, its answer kept in accord.scenario.cache: a text validated before
    (with the same source texts, by the same code) is not validated again."""
    from accord.scenario import cache

    key = cache.entry_key(text, name, source_dirs, require_texts, strict)
    found = cache.lookup(key)
    if isinstance(found, Loaded):
        return found
    loaded = parse_scenario(text, name, source_dirs=source_dirs, require_texts=require_texts,
                            strict=strict)
    # kept when it holds no round-trip tree: read by the fast parse, without `observed:`
    if loaded.parsed is None and loaded.observations is None:
        cache.store(key, loaded, loaded.consulted)
    return loaded
