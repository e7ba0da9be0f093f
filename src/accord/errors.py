"""User-facing errors: a user's mistake is reported with file, line and field, and exits 2."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"


@dataclass
class UserError(Exception):
    """A mistake in the user's input (never a bug): the CLI prints it and exits 2."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def at(
        cls, message: str, *, file: str | None = None, line: int | None = None,
        field: str | None = None,
    ) -> UserError:
        return cls([Problem(message, file, line, field)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def as_options(self) -> UserError:
        """The same problems with settings named as the CLI's options.

        Engines name the setting they were given (`paths`, `draws`, `db`): an API user sees the
        JSON field, a CLI user the option `--paths`. Fields located in a file are left alone.
        """
        return type(self)([
            replace(p, field="--" + p.field.replace("_", "-"))
            if p.field and p.file is None and p.field.replace("_", "").isalnum() else p
            for p in self.problems
        ])



class ScenarioError(UserError):
    """A scenario, overlay or observations file that cannot be used, located as the CLI
    reports it: `file`, `line` and `field` of the first problem (all in `problems`)."""

    @classmethod
    def of(cls, error: UserError, field: str | None = None) -> ScenarioError:
        """The same problems as a ScenarioError; `field` names the parameter where a problem
        has no location of its own (a notebook's argument rather than a file)."""
        return cls([p if p.file or p.field or field is None else replace(p, field=field)
                    for p in error.problems])

    @property
    def file(self) -> str | None:
        return self.problems[0].file if self.problems else None

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    @property
    def field(self) -> str | None:
        return self.problems[0].field if self.problems else None
