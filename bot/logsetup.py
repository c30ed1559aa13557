"""Logging for the bot process: one handler on the root logger, and the token scrubbed."""

from __future__ import annotations

import logging
import sys

import discord

__all__ = ["RedactSecrets", "setup_logging"]


class RedactSecrets(logging.Filter):
    """Replace secrets in every record, whatever library formatted it.

    Nothing of ours logs the token; this is the belt to that braces, for a third-party message
    or a traceback that happens to carry it.
    """

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self._secrets:
                text = text.replace(secret, "[redacted]")
            record.exc_text = text
        return True


# discord.py's own format, without its colour codes.
PLAIN = logging.Formatter("{asctime} {levelname:<8} {name} {message}", "%Y-%m-%d %H:%M:%S", style="{")


def setup_logging(level: str, *secrets: str) -> None:
    """Configure root logging once (bot.start(), unlike bot.run(), leaves it to us).

    Colour only on a terminal: discord.py also colours inside any Docker container, which fills a
    log file or a pipe with escape codes.
    """
    formatter = discord.utils.MISSING if sys.stderr.isatty() else PLAIN
    discord.utils.setup_logging(level=getattr(logging, level), formatter=formatter, root=True)
    redact = RedactSecrets(*secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    # discord.http logs every request at DEBUG and rate-limit notes at WARNING; keep the latter.
    logging.getLogger("discord.http").setLevel(logging.WARNING)
