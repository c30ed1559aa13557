"""The log check that every end-to-end test runs under: it must catch what it is there to catch."""

import logging

from tests.logcheck import LogWatch


def watch_of(*records: tuple[str, int, bool]) -> LogWatch:
    watch = LogWatch()
    for name, level, with_traceback in records:
        exc_info = None
        if with_traceback:
            try:
                raise RuntimeError("boom")
            except RuntimeError as error:
                exc_info = (type(error), error, error.__traceback__)
        watch.handle(logging.LogRecord(name, level, __file__, 1, f"{name} says hi", None, exc_info))
    return watch


def test_an_unexpected_error_or_traceback_is_reported() -> None:
    assert watch_of(("bot", logging.INFO, False), ("bot", logging.WARNING, False)).report() is None
    report = watch_of(("cogs.quiz", logging.ERROR, False)).report()
    assert report is not None and "cogs.quiz says hi" in report
    report = watch_of(("discord.client", logging.WARNING, True)).report()
    assert report is not None and "RuntimeError: boom" in report


def test_an_expected_error_passes_and_a_missing_one_fails() -> None:
    watch = watch_of(("bot.errors", logging.ERROR, True))
    watch.expect("says hi", logger="bot")
    assert watch.report() is None
    other_logger = watch_of(("discord", logging.ERROR, False))
    other_logger.expect("says hi", logger="bot")
    assert other_logger.report() is not None
    never = watch_of()
    never.expect("kaboom")
    assert "none was logged" in (never.report() or "")
