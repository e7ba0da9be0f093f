"""The scenarios a dashboard serves: the built-in ones and the YAML files of one workspace folder.

A scenario's reference (`ref`) is a built-in scenario's name (`south-caucasus-2025`) or a file's
path relative to the workspace (`talks.yaml`, `what-if/talks-b.yaml`). File access never leaves
the workspace: absolute paths, `..`, and symlinks that resolve outside it are refused.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from accord.errors import UserError
from accord.scenario.evidence import text_hash
from accord.scenario.loader import Loaded, builtin_names, builtin_text, parse_scenario
from accord.scenario.yamlio import MAX_BYTES, load_yaml, read_text, to_plain

SUFFIXES = (".yaml", ".yml")
PARSED_KEEP = 64  # validated scenarios kept by text hash (a page load, an edit, a run reuse them)
ParseKey = tuple[str, tuple[str, ...], bool, str]
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
MAX_FILES = 500  # scenario files listed; a workspace is a folder of scenarios, not a disk
MAX_DEPTH = 3
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}$")


class Refused(UserError):
    """A file name that would leave the workspace (or is no scenario file name at all)."""


class NotFound(UserError):
    """No such scenario."""


@dataclass(frozen=True)
class Entry:
    """One scenario in the list."""

    ref: str
    kind: str  # "builtin" or "file"
    meta_id: str | None
    title: str
    as_of: str | None
    error: str | None = None
    name: str = ""  # as runs store it (Loaded.name)
    hash: str | None = None  # SHA-256 of the text: a run is this entry's when both match

    def to_dict(self) -> dict[str, str | None]:
        return {
            "id": self.ref,
            "kind": self.kind,
            "meta_id": self.meta_id,
            "title": self.title,
            "as_of": self.as_of,
            "error": self.error,
            "hash": self.hash,
        }


class Workspace:
    """Scenario discovery and file access confined to one folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise UserError.at("--workspace must be an existing folder", file=str(root))
        self._cache: dict[str, tuple[tuple[float, int], Entry]] = {}
        self._lock = threading.Lock()
        self._builtins: list[Entry] | None = None
        # (name, source dirs, strict, sha256 of the text) → (Loaded, its source texts' stats)
        self._parsed: OrderedDict[ParseKey, tuple[Loaded, tuple[object, ...]]] = OrderedDict()
        self._parsing: dict[ParseKey, threading.Lock] = {}

    # --- references ---------------------------------------------------------------------------
    @staticmethod
    def is_builtin(ref: str) -> bool:
        return ref in builtin_names()

    def path_of(self, ref: str, *, must_exist: bool = True) -> Path:
        """The file a workspace reference names, or a UserError if it would leave the workspace."""
        if not ref or "\x00" in ref or "\\" in ref:
            raise Refused.at(f"not a scenario file name: {ref!r}")
        pure = PurePosixPath(ref)
        if pure.is_absolute() or ref.startswith("~"):
            raise Refused.at(f"absolute paths are refused; name a file inside the workspace: {ref}")
        if any(part in ("..", ".", "") for part in ref.split("/")):
            raise Refused.at(f"'..' and '.' are refused in file names: {ref}")
        if pure.suffix.lower() not in SUFFIXES:
            raise Refused.at(f"a scenario file ends in .yaml or .yml: {ref}")
        if any(part.startswith(".") for part in pure.parts):
            raise Refused.at(f"hidden files are refused: {ref}")
        path = self.root.joinpath(*pure.parts)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise Refused.at(f"{ref} leads outside the workspace (a symlink?): refused")
        if must_exist and not resolved.is_file():
            raise NotFound.at(f"no scenario file {ref} in the workspace")
        return path

    def ref_of(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # --- reading ------------------------------------------------------------------------------
    def text(self, ref: str) -> str:
        if self.is_builtin(ref):
            return builtin_text(ref)
        if "/" not in ref and not ref.lower().endswith(SUFFIXES):
            raise NotFound.at(f"no built-in scenario or workspace file named '{ref}'")
        return read_text(self.path_of(ref), "scenario file")

    def name(self, ref: str) -> str:
        """The name messages use: what `accord validate` prints for the same scenario."""
        return f"builtin:{ref}" if self.is_builtin(ref) else ref

    def source_dirs(self, ref: str) -> list[Path]:
        return [] if self.is_builtin(ref) else [self.path_of(ref, must_exist=False).parent]

    def parse(self, ref: str, text: str, strict: bool = False) -> Loaded:
        """Validate `text` as the scenario `ref` (quotes checked against texts beside it).

        Validation takes a few tenths of a second (a round-trip YAML parse, the quotes checked
        against their source texts), so a valid result is kept per text hash and reused while
        the source texts it read are unchanged. The same text asked for at once (the warm-up
        at server start and a first page load) is parsed once.
        """
        name, dirs = self.name(ref), self.source_dirs(ref)
        key = (name, tuple(map(str, dirs)), strict, text_hash(text))
        hit = self._parsed_hit(key)
        if hit is not None:
            return hit
        with self._lock:
            gate = self._parsing.setdefault(key, threading.Lock())
        with gate:
            hit = self._parsed_hit(key)
            if hit is not None:
                return hit
            try:
                loaded = parse_scenario(text, name, source_dirs=dirs, strict=strict)
                with self._lock:
                    self._parsed[key] = (loaded, _source_stats(loaded))
                    while len(self._parsed) > PARSED_KEEP:
                        self._parsed.popitem(last=False)
            finally:
                with self._lock:
                    self._parsing.pop(key, None)
            return loaded

    def _parsed_hit(self, key: ParseKey) -> Loaded | None:
        with self._lock:
            hit = self._parsed.get(key)
            if hit is not None:
                self._parsed.move_to_end(key)
        if hit is None or _source_stats(hit[0]) != hit[1]:
            return None
        return hit[0]

    def load(self, ref: str, strict: bool = False) -> Loaded:
        return self.parse(ref, self.text(ref), strict=strict)

    # --- listing ------------------------------------------------------------------------------
    def files(self) -> list[Path]:
        out: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            depth = len(Path(dirpath).relative_to(self.root).parts)
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
            )
            if depth >= MAX_DEPTH:
                dirnames[:] = []
            for f in sorted(filenames):
                if f.startswith(".") or not f.lower().endswith(SUFFIXES):
                    continue
                p = Path(dirpath) / f
                try:
                    if not p.resolve().is_relative_to(self.root) or not p.resolve().is_file():
                        continue
                except OSError:
                    continue
                out.append(p)
                if len(out) >= MAX_FILES:
                    return out
        return out

    def _file_entry(self, path: Path) -> Entry | None:
        ref = self.ref_of(path)
        try:
            st = path.stat()
        except OSError:
            return None
        key = (st.st_mtime, st.st_size)
        with self._lock:
            hit = self._cache.get(ref)
        if hit and hit[0] == key:
            return hit[1]
        entry = self._describe(ref, path, st.st_size)
        with self._lock:
            self._cache[ref] = (key, entry)  # type: ignore[assignment]
        return entry

    def _describe(self, ref: str, path: Path, size: int) -> Entry | None:
        """The file's list entry; a file that cannot be read or parsed is listed with why."""
        def broken(exc: UserError | str, meta: dict | None = None) -> Entry:
            meta = meta or {}
            why = exc if isinstance(exc, str) else (str(exc.problems[0]) if exc.problems
                                                    else "invalid")
            return Entry(ref, "file", str(meta.get("id") or "") or None,
                         str(meta.get("title") or ref), str(meta.get("as_of") or "") or None,
                         error=why, name=self.name(ref))

        if size > MAX_BYTES:
            return broken(f"{ref}: {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
        try:
            text = read_text(path, "scenario file")
            tree = load_yaml(text, ref)
        except UserError as exc:
            return broken(exc)
        if not isinstance(tree, dict) or not isinstance(tree.get("meta"), dict):
            return None  # some other YAML file (CI config, ...): not a scenario
        meta = to_plain(tree["meta"])
        try:
            loaded = self.parse(ref, text)
        except UserError as exc:
            return broken(exc, meta)
        m = loaded.scenario.meta
        return Entry(ref, "file", m.id, m.title, m.as_of.isoformat(), name=loaded.name,
                     hash=text_hash(text))

    def builtin_entries(self) -> list[Entry]:
        if self._builtins is None:
            out = []
            for name in builtin_names():
                loaded = self.load(name)
                m = loaded.scenario.meta
                out.append(Entry(name, "builtin", m.id, m.title, m.as_of.isoformat(),
                                 name=loaded.name, hash=text_hash(loaded.text)))
            self._builtins = out
        return list(self._builtins)

    def entries(self) -> list[Entry]:
        out = self.builtin_entries()
        for path in self.files():
            e = self._file_entry(path)
            if e is not None:
                out.append(e)
        return out

    # --- writing ------------------------------------------------------------------------------
    def write(self, ref: str, text: str, *, new: bool = False, expected: str | None = None) -> str:
        """Write a workspace file atomically; returns the ref.

        `new` refuses to overwrite. `expected` is the hash of the text the editor opened: when
        the file on disk no longer has it (changed by another tab or program since), the save is
        refused instead of silently overwriting that change.
        """
        if self.is_builtin(ref):
            raise UserError.at("built-in scenarios are read-only: use 'save as' for a copy")
        path = self.path_of(ref, must_exist=not new)
        if new and path.exists():
            raise UserError.at(f"{ref} already exists in the workspace; choose another name")
        if expected is not None and text_hash(self.text(ref)) != expected:
            raise Refused.at(f"{ref} changed on disk since it was opened: not saved. Reload it "
                             "to see the change, or use 'save as' to keep yours separately")
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise UserError.at("the scenario is larger than the 2 MB limit")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        with self._lock:
            self._cache.pop(ref, None)
        return ref

    @staticmethod
    def new_file_ref(name: str) -> str:
        """A 'save as' name → a new top-level file reference (plain name, .yaml added)."""
        name = name.strip()
        if not name.lower().endswith(SUFFIXES):
            name += ".yaml"
        if not NAME_RE.match(name) or ".." in name:
            raise UserError.at(
                f"'{name}': use letters, digits, '-', '_' and '.' only (no folders)",
                field="save as",
            )
        return name


def _source_stats(loaded: Loaded) -> tuple[object, ...]:
    """The stats of every source text a validation may have read (to notice edits)."""
    out: list[object] = []
    for src in loaded.scenario.meta.sources:
        if src.file is None:
            continue
        for d in loaded.source_dirs:
            try:
                st = (d / src.file).stat()
                out.append((str(d / src.file), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(d / src.file), None))
    return tuple(out)
