"""Finding pack files and reading each into its raw tables, reporting file-level problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .issues import ContentIssue, EntryReporter
from .schema import toml_type_name, unknown_key_message

try:
    # tomli is the parser the standard library's tomllib was taken from, shipped compiled (mypyc) and
    # about 3x faster on large packs; same results, same error messages. Optional: tomllib otherwise.
    import tomli as toml_parser
except ImportError:
    import tomllib as toml_parser  # type: ignore[no-redef]  # the same API

ENTRY_TABLES = ("sources", "facts", "questions")
TOP_LEVEL_KEYS = ("pack", *ENTRY_TABLES)

Table = dict[str, object]

# How a server pack (uploaded in Discord, with no source files beside it) may name a source.
SERVER_SOURCE_KEYS = ("file", "url", "title")


def source_key(table: Table, *, server: bool = False) -> str | None:
    """How facts cite a [[sources]] entry: its `file`; in a server pack its `url` or `title` instead."""
    for key in SERVER_SOURCE_KEYS if server else ("file",):
        value = table.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


@dataclass(slots=True)
class RawPack:
    """One file's parsed tables, not yet checked, plus the problems found reading the file itself."""

    path: Path
    issues: list[ContentIssue] = field(default_factory=list)
    header: Table | None = None
    sources: list[Table] = field(default_factory=list)
    facts: list[Table] = field(default_factory=list)
    questions: list[Table] = field(default_factory=list)
    malformed: set[str] = field(default_factory=set)  # entry tables whose shape was already reported
    text: str = ""  # the file's text, to find an entry's line when a message needs it
    _lines_by_table: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def entry_line(self, name: str, index: int) -> int | None:
        """The line of entry `index`'s [[name]] header, or None when it cannot be told.

        tomllib reports no positions, so the header lines are found in the text, only when a
        message asks (a clean load never pays for it). Entries written as an inline array, or a
        header-like line inside a multi-line string, make the count differ from the entries';
        then no line is given rather than a wrong one.
        """
        if name not in self._lines_by_table:
            lines = _header_lines(self.text, name)
            matches = name not in self.malformed and len(lines) == len(getattr(self, name))
            self._lines_by_table[name] = lines if matches else []
        lines = self._lines_by_table[name]
        return lines[index] if index < len(lines) else None


def find_pack_files(path: Path) -> tuple[list[Path], list[ContentIssue]]:
    """The pack files at `path` (a folder's *.toml files in name order, or one file)."""
    if path.is_dir():
        # Skip hidden files: editors leave lock and backup files such as '.#pack.toml' beside real ones.
        files = sorted(p for p in path.glob("*.toml") if p.is_file() and not p.name.startswith("."))
        if not files:
            return [], [ContentIssue(path, "folder", None, "no content packs (*.toml files) in this folder")]
        return files, []
    if path.is_file():
        if path.suffix != ".toml":
            return [], [ContentIssue(path, "file", None, "is not a .toml file")]
        return [path], []
    return [], [ContentIssue(path, "path", None, "does not exist")]


def read_pack_file(path: Path) -> RawPack:
    """Parse one pack file and sort out its top-level tables."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raw = RawPack(path)
        EntryReporter(raw.issues, path, "file")(None, f"cannot be read: {error.strerror or error}")
        return raw
    return read_pack_bytes(data, path)


def read_pack_bytes(data: bytes, path: Path) -> RawPack:
    """Parse one pack's bytes (a file's, or an upload's named `path`) and sort out its top-level tables."""
    raw = RawPack(path)
    report = EntryReporter(raw.issues, path, "file")
    try:
        # utf-8-sig: some Windows editors start files with a byte-order mark; it is harmless.
        raw.text = data.decode("utf-8-sig")
        document = toml_parser.loads(raw.text)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        report(None, f"is not UTF-8 text (invalid byte on line {line})")
        return raw
    except toml_parser.TOMLDecodeError as error:
        report(None, f"invalid TOML: {error}")  # the parser's message ends with '(at line L, column C)'
        return raw

    for key in document:
        if key not in TOP_LEVEL_KEYS:
            report(key, unknown_key_message(key, TOP_LEVEL_KEYS, "table"))

    header = document.get("pack")
    if header is None:
        report("pack", "missing required table [pack]")
    elif not isinstance(header, dict):
        report("pack", f"must be a table [pack], not {toml_type_name(header)}")
    else:
        raw.header = header

    for name in ENTRY_TABLES:
        value = document.get(name, [])
        if not isinstance(value, list):
            report(name, f"must be an array of tables [[{name}]], not {toml_type_name(value)}")
            raw.malformed.add(name)
            continue
        entries = [entry for entry in value if isinstance(entry, dict)]
        if len(entries) != len(value):
            report(name, f"must be an array of tables [[{name}]], not an array of values")
            raw.malformed.add(name)
        setattr(raw, name, entries)
    return raw


def _header_lines(text: str, name: str) -> list[int]:
    """The numbers of the lines that are a `[[name]]` header."""
    header = re.compile(rf"\s*\[\[\s*{re.escape(name)}\s*\]\]\s*(#.*)?")
    return [number for number, line in enumerate(text.splitlines(), 1) if header.fullmatch(line)]
