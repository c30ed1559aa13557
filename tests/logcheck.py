"""Fail a test when anything logs an ERROR or a traceback that the test did not say it expects.

Exceptions that discord.py catches (in a view, a listener, a task) or that the bot reports with an
error id never reach the test as an exception: the log is the only place they show. The `bot_log`
fixture collects every such record while a test runs and fails the test at the end if one was not
expected. A test that provokes an error on purpose says so with `bot_log.expect(...)`.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

__all__ = ["LogWatch", "bot_log"]


@dataclass
class Expectation:
    """An error the test provokes: a message pattern, optionally limited to one logger (and its children)."""

    pattern: re.Pattern[str]
    logger: str | None
    matched: list[logging.LogRecord] = field(default_factory=list)

    def matches(self, record: logging.LogRecord) -> bool:
        if self.logger is not None and not (record.name == self.logger or record.name.startswith(self.logger + ".")):
            return False
        return bool(self.pattern.search(record.getMessage()))


class LogWatch(logging.Handler):
    """A root handler that keeps every ERROR-or-worse record and every record that carries a traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.expectations: list[Expectation] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def expect(self, pattern: str, *, logger: str | None = None) -> Expectation:
        """Allow records whose message matches `pattern` (a regex); the test fails if none comes."""
        expectation = Expectation(re.compile(pattern), logger)
        self.expectations.append(expectation)
        return expectation

    def unexpected(self) -> list[logging.LogRecord]:
        left = []
        for record in self.records:
            expectation = next((e for e in self.expectations if e.matches(record)), None)
            if expectation is None:
                left.append(record)
            else:
                expectation.matched.append(record)
        return left

    def report(self) -> str | None:
        """Describe what went wrong, or None when the log held only what was expected."""
        problems = []
        for record in self.unexpected():
            text = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            problems.append(text)
        for expectation in self.expectations:
            if not expectation.matched:
                problems.append(f"expected an error matching {expectation.pattern.pattern!r}, but none was logged")
        return "\n\n".join(problems) if problems else None


@pytest.fixture(autouse=True)
def bot_log() -> Iterator[LogWatch]:
    """Collect errors and tracebacks from every logger for the whole test (set up first, torn down last)."""
    watch = LogWatch()
    root = logging.getLogger()
    root.addHandler(watch)
    try:
        yield watch
        gc.collect()  # a task whose exception nobody retrieved is only reported when it is collected
    finally:
        root.removeHandler(watch)
    report = watch.report()
    if report is not None:
        pytest.fail(f"the log had errors this test did not expect:\n\n{report}", pytrace=False)
