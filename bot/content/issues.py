"""Problems found in content, and how they are collected and shown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """The path relative to the current directory when it is inside it, otherwise as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True, slots=True)
class ContentIssue:
    """One problem, located by file, entry (e.g. 'fact some-id', 'pack') and field."""

    path: Path
    entry: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{display_path(self.path)}: {self.entry}: "
        if self.field is not None:
            where += f"field '{self.field}': "
        return where + self.message


class EntryReporter:
    """Records issues for one entry of one file, counting them so callers know if it was clean."""

    __slots__ = ("_issues", "count", "entry", "path")

    def __init__(self, issues: list[ContentIssue], path: Path, entry: str) -> None:
        self._issues = issues
        self.path = path
        self.entry = entry
        self.count = 0

    def __call__(self, field: str | None, message: str) -> None:
        """Record a problem with `field` (None when it concerns the entry as a whole)."""
        self._issues.append(ContentIssue(self.path, self.entry, field, message))
        self.count += 1
