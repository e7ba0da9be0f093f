"""MkDocs hook: the command reference, generated from accord's Typer application.

A page holding the marker ``<!-- accord-cli-reference -->`` gets, in its place, one section per
command (``accord run``, ``accord ledger score``, ...) with its help, its usage line, its
arguments and its options with their help, defaults and choices, read from the click tree that
``typer.main.get_command`` builds. The reference therefore cannot drift from the code;
``tests/test_cli_options_agree.py`` imports :func:`cli_reference` to check it.

Typer vendors its own click (``typer._click``) in recent releases, so the tree is read by duck
typing (``param_type_name``, ``commands``), never by ``isinstance`` against click's classes.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- accord-cli-reference -->"


Command = Any  # a click command, from whichever click typer uses
Param = Any  # a click parameter


def commands() -> dict[str, Command]:
    """Every leaf command by its full name ("run", "ledger score"), in ``accord --help`` order."""
    import typer.main

    from accord.cli import _register, app

    _register()
    root = typer.main.get_command(app)
    out: dict[str, Command] = {}
    for name, cmd in getattr(root, "commands", {}).items():
        if hasattr(cmd, "commands"):
            for sub, leaf in cmd.commands.items():
                out[f"{name} {sub}"] = leaf
        else:
            out[name] = cmd
    return out


def _cell(text: Any) -> str:
    """Text fit for one markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code that may itself hold a backtick or a pipe."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _is_option(param: Param) -> bool:
    return getattr(param, "param_type_name", "") == "option"


def _default(param: Param) -> str:
    if _is_option(param) and param.is_flag:
        return "on" if param.default else "off"
    if param.default is None or param.default == () or param.default == []:
        return "—"
    value = getattr(param.default, "value", param.default)  # an Enum member: its value
    return _code(str(value))


def _kind(param: Param) -> str:
    """What the option takes: its choices, a flag, or the type's name."""
    desc = getattr(param, "type_descriptor", None)  # typer's own; click's ``type`` otherwise
    choices = getattr(desc, "choices", None) or getattr(getattr(param, "type", None),
                                                      "choices", None)
    if choices:
        return " \\| ".join(_code(str(getattr(c, "value", c))) for c in choices)
    if _is_option(param) and param.is_flag:
        return "flag"
    ann = getattr(desc, "annotation", None)
    name = getattr(ann, "__name__", None) or getattr(getattr(param, "type", None), "name", "")
    kinds = {"str": "text", "int": "integer", "float": "number", "Path": "path", "list": "text"}
    kind = kinds.get(name or "", name or "text")
    return kind + (" (repeatable)" if param.multiple else "")


def _metavar(arg: Param) -> str:
    text = (arg.name or "").upper() + ("..." if arg.nargs == -1 else "")
    return text if arg.required else f"[{text}]"


def _usage(name: str, cmd: Command) -> str:
    args = [_metavar(p) for p in cmd.params if not _is_option(p)]
    return " ".join([f"accord {name}", "[OPTIONS]", *args])


def _arguments(cmd: Command) -> list[str]:
    args = [p for p in cmd.params if not _is_option(p)]
    if not args:
        return []
    rows = ["| argument | meaning | required |", "|---|---|---|"]
    for p in args:
        need = "yes" if p.required else "no"
        many = " (one or more)" if p.nargs == -1 else ""
        kind = _kind(p)
        one_of = f" (one of {kind})" if "`" in kind else ""
        rows.append(f"| `{(p.name or '').upper()}` | {_cell(getattr(p, 'help', '') or '')}"
                    f"{many}{one_of} | {need} |")
    return ["**Arguments**", "", *rows, ""]


def _options(cmd: Command) -> list[str]:
    opts = [p for p in cmd.params if _is_option(p) and not p.hidden]
    rows = ["| option | meaning | takes | default |", "|---|---|---|---|"]
    for p in opts:
        names = ", ".join(_code(o) for o in (*p.opts, *p.secondary_opts))
        help_text = _cell(p.help or "") + (" (required)" if p.required else "")
        rows.append(f"| {names} | {help_text} | {_kind(p)} | {_default(p)} |")
    return ["**Options**", "", *rows, ""] if opts else []


def command_markdown(name: str, cmd: Command) -> str:
    """One command's section: heading, help, usage, arguments and options."""
    lines = [f"### accord {name}", ""]
    if cmd.help:
        lines += [cmd.help.strip(), ""]
    lines += ["```text", _usage(name, cmd), "```", ""]
    lines += _arguments(cmd) + _options(cmd)
    return "\n".join(lines)


def cli_reference() -> str:
    """The whole reference: a table of contents, then one section per command."""
    cmds = commands()
    index = ["| command | what it does |", "|---|---|"]
    for name, cmd in cmds.items():
        anchor = "accord-" + name.replace(" ", "-")
        summary = _cell((cmd.help or "").strip().split("\n\n")[0])
        index.append(f"| [`accord {name}`](#{anchor}) | {summary} |")
    sections = [command_markdown(name, cmd) for name, cmd in cmds.items()]
    return "\n".join(index) + "\n\n" + "\n".join(sections)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs event: replace the marker with the generated reference."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, cli_reference())
