"""Data flows one way: the engines never import the CLI, the web app, the report or the store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "accord"
ENGINES = ("scenario", "bargaining", "process", "analysis")
INNER = (*ENGINES, "draft", "baserate")  # draft and the outside view build on the scenario layer
FORBIDDEN = ("accord.cli", "accord.web", "accord.report", "accord.store")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("package", INNER)
def test_engines_import_no_outer_layer(package: str) -> None:
    files = sorted((SRC / package).rglob("*.py"))
    assert files
    for f in files:
        bad = {m for m in _imports(f) if m.startswith(FORBIDDEN)}
        assert not bad, f"{f.relative_to(SRC)} imports {bad}"


def test_no_eval_or_exec_anywhere() -> None:
    for f in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), f"{f}: {node.func.id}"


def test_no_import_cycle_between_modules() -> None:
    """No module imports, even lazily inside a function, a module that imports it back (a
    cycle is two modules doing one job, or a missing module beneath both)."""
    import networkx as nx

    names = {}
    for f in SRC.rglob("*.py"):
        rel = f.relative_to(SRC.parent).with_suffix("")
        names[".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)] = f
    g = nx.DiGraph()
    for name, f in names.items():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            g.add_edges_from((name, t) for t in targets if t in names and t != name)
    cycles = [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert not cycles, " ; ".join(" -> ".join(c) for c in cycles[:5])


def _private_uses(path: Path) -> list[str]:
    """`from accord.x import _name` and `module._name` where `module` is an accord module this
    file imports: a private name of another module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("accord"):
            for a in node.names:
                if a.name.startswith("_"):
                    found.append(f"{node.module}.{a.name}")
                else:
                    aliases.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            aliases.update(a.asname or a.name.split(".")[0] for a in node.names
                           if a.name.startswith("accord"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_reaches_into_another_s_private_names() -> None:
    bad = {str(p.relative_to(SRC)): uses for p in SRC.rglob("*.py")
           if (uses := _private_uses(p))}
    assert not bad, bad


def test_no_dashboard_module_is_over_400_lines() -> None:
    """web/ is split by job (issue 31): the builder's tree changes (builder), the values and
    items its forms make (items), one page a module."""
    long = {str(p.relative_to(SRC)): n for p in (SRC / "web").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long
