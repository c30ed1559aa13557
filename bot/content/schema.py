"""Field rules for TOML tables: required fields, types, lengths, slugs and unknown keys."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

_SLUG = re.compile(r"[a-z0-9-]+")
_MISSING = object()


class Report(Protocol):
    """Where a check records a problem with a field."""

    def __call__(self, field: str | None, message: str) -> None: ...


def toml_type_name(value: object) -> str:
    """The TOML name of a parsed value's type, with its article, for messages."""
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date or time"
    return type(value).__name__


def _text_ok(value: str, max_len: int, slug: bool) -> bool:
    """Whether a string is non-blank, within its limit and a slug if it must be: the cheap common case."""
    if not 0 < len(value) <= max_len or value.isspace():
        return False
    return not slug or _SLUG.fullmatch(value) is not None


def _text_problems(value: str, max_len: int, slug: bool, optional: bool) -> list[str]:
    """What is wrong with a string value's content (not its type)."""
    if not value.strip():
        return ["must not be empty (leave the field out instead)" if optional else "must not be empty"]
    problems = []
    if len(value) > max_len:
        problems.append(f"is {len(value)} characters long, the limit is {max_len}")
    if slug and not _SLUG.fullmatch(value):
        problems.append(f"{value!r} is not a valid slug (lowercase letters, digits and '-' only)")
    return problems


@dataclass(frozen=True, slots=True)
class Text:
    """A string of 1 to `max_len` characters, optionally a slug."""

    max_len: int
    required: bool = True
    slug: bool = False

    def check(self, name: str, value: object, report: Report) -> bool:
        """Report problems; return whether the value is a string, so later checks can use it."""
        if not isinstance(value, str):
            report(name, f"must be a string, not {toml_type_name(value)}")
            return False
        # The common case inline (as in _text_ok): this runs for nearly every field of every entry.
        if (
            0 < len(value) <= self.max_len
            and not value.isspace()
            and (not self.slug or _SLUG.fullmatch(value) is not None)
        ):
            return True
        for problem in _text_problems(value, self.max_len, self.slug, not self.required):
            report(name, problem)
        return True


@dataclass(frozen=True, slots=True)
class TextList:
    """An array of `min_items` to `max_items` strings, each 1 to `item_max_len` characters."""

    item: str  # what one item is called in messages: "topic", "source", ...
    min_items: int
    max_items: int | None
    item_max_len: int
    slug: bool = False
    distinct: bool = True  # compared exactly: topics are lowercase slugs, file names are case-sensitive
    required: bool = True

    def check(self, name: str, value: object, report: Report) -> bool:
        """Report problems; return whether the value is an array of strings."""
        if not isinstance(value, list):
            report(name, f"must be an array of strings, not {toml_type_name(value)}")
            return False
        if self._all_ok(value):
            return True
        if not all(isinstance(item, str) for item in value):
            for number, item in enumerate(value, 1):
                if not isinstance(item, str):
                    report(name, f"{self.item} {number} must be a string, not {toml_type_name(item)}")
            return False
        count = len(value)
        if count < self.min_items or (self.max_items is not None and count > self.max_items):
            if self.max_items is None:
                noun = self.item if self.min_items == 1 else f"{self.item}s"
                wanted = f"at least {self.min_items} {noun}"
            else:
                wanted = f"{self.min_items} to {self.max_items} {self.item}s"
            report(name, f"needs {wanted}, got {count}")
        seen: set[str] = set()
        for number, item in enumerate(value, 1):
            for problem in _text_problems(item, self.item_max_len, self.slug, optional=False):
                report(name, f"{self.item} {number} {problem}")
            if self.distinct and item.strip():
                if item in seen:
                    report(name, f"repeats the {self.item} {item!r}")
                seen.add(item)
        return True

    def _all_ok(self, value: list[object]) -> bool:
        """Whether the array has no problem at all: the cheap common case."""
        count = len(value)
        if count < self.min_items or (self.max_items is not None and count > self.max_items):
            return False
        for item in value:
            if not isinstance(item, str) or not _text_ok(item, self.item_max_len, self.slug):
                return False
        return not self.distinct or len(set(value)) == count


@dataclass(frozen=True, slots=True)
class Choice:
    """A string that must be one of a fixed set of values."""

    values: tuple[str, ...]
    required: bool = True

    def check(self, name: str, value: object, report: Report) -> bool:
        """Report problems; return whether the value is one of the choices."""
        if not isinstance(value, str):
            report(name, f"must be a string, not {toml_type_name(value)}")
            return False
        if value not in self.values:
            allowed = ", ".join(repr(v) for v in self.values)
            report(name, f"{value!r} is not one of {allowed}")
            return False
        return True


@dataclass(frozen=True, slots=True)
class Flag:
    """A boolean: true or false."""

    required: bool = False

    def check(self, name: str, value: object, report: Report) -> bool:
        """Report problems; return whether the value is a boolean."""
        if not isinstance(value, bool):
            report(name, f"must be true or false, not {toml_type_name(value)}")
            return False
        return True


FieldRule = Text | TextList | Choice | Flag


def unknown_key_message(key: str, known: Mapping[str, object] | tuple[str, ...], kind: str) -> str:
    """Explain an unknown key, suggesting the closest known one since it is usually a typo."""
    names = list(known)
    close = difflib.get_close_matches(key, names, n=1)
    if close:
        return f"unknown {kind} (did you mean {close[0]!r}?)"
    return f"unknown {kind} (expected one of: {', '.join(names)})"


def check_table(table: Mapping[str, Any], rules: Mapping[str, FieldRule], report: Report) -> dict[str, Any]:
    """Check a table against its rules; return the fields whose type is right, for further checks.

    Fields with a content problem (too long, empty, ...) are still returned, so that checks across
    fields (e.g. the answer repeated among the wrong options) still run and report their own problems.
    """
    usable: dict[str, Any] = {}
    for name, rule in rules.items():
        value = table.get(name, _MISSING)
        if value is _MISSING:
            if rule.required:
                report(name, "missing required field")
        elif rule.check(name, value, report):
            usable[name] = value
    if not table.keys() <= rules.keys():
        for key in table:
            if key not in rules:
                report(key, unknown_key_message(key, rules, "field"))
    return usable
