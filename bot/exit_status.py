"""The process's exit statuses: one per kind of problem, the same from a start and check-content."""

from __future__ import annotations

__all__ = ["EXIT_CONFIG", "EXIT_CONTENT", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_STATUSES", "EXIT_UNEXPECTED"]

EXIT_OK = 0
EXIT_UNEXPECTED = 1  # Python's own status for an uncaught exception; never returned on purpose
EXIT_CONFIG = 2  # a setting, the token or the database is wrong (argparse also exits 2 on bad usage)
EXIT_CONTENT = 3  # the content packs have problems: fix the packs
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention

# What each status means, for --help and README.md (a test keeps the two in step).
EXIT_STATUSES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "the bot stopped cleanly (SIGTERM or Ctrl-C), or check-content (or import-content) found no problem"),
    (EXIT_UNEXPECTED, "an unexpected error (a bug): the traceback above says where"),
    (EXIT_CONFIG, "a setting, the token, the database or the command line is wrong; the message names it"),
    (EXIT_CONTENT, "the content packs (or the list to import) have problems, from check-content, import-content "
                   "or at start-up (the bot will not start)"),
    (EXIT_INTERRUPTED, "a second Ctrl-C cut the shutdown short"),
)
