"""Log set-up: the token never reaches a log record."""

import logging

from bot.logsetup import RedactSecrets


def test_the_token_is_redacted_from_log_records() -> None:
    token = "MTIz.secret.token-value-here"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sending %s", (token,), None)
    RedactSecrets(token).filter(record)
    assert token not in record.getMessage()
    assert "[redacted]" in record.getMessage()


def test_a_log_that_is_not_a_terminal_gets_no_colour_codes(monkeypatch) -> None:
    import io

    from bot.logsetup import setup_logging

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setattr("discord.utils.stream_supports_colour", lambda stream: True)  # as inside Docker
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        setup_logging("INFO", "secret-token")
        logging.getLogger("bot.test").info("hello secret-token")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(level)
    text = stream.getvalue()
    assert "hello [redacted]" in text
    assert "\x1b[" not in text
