"""Log set-up: the token never reaches a log record."""

import logging

from bot.logsetup import RedactSecrets


def test_the_token_is_redacted_from_log_records() -> None:
    token = "MTIz.secret.token-value-here"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sending %s", (token,), None)
    RedactSecrets(token).filter(record)
    assert token not in record.getMessage()
    assert "[redacted]" in record.getMessage()
