"""`python -m bot` runs the bot; `check-content [PATH]` validates content packs; `copy-database` moves the data."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

import discord
from dotenv import load_dotenv

from bot import __version__
from bot.content import ContentError, ContentStore, check_content
from bot.logsetup import setup_logging
from bot.settings import DEFAULT_CONTENT_PATH, PORTAL_HINT, Settings, SettingsError

log = logging.getLogger("bot")

EXIT_CONFIG = 2  # a setting, the token or the content is wrong: fix the configuration
SHUTDOWN_GRACE_SECONDS = 10


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Casino Night quiz-and-facts bot.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and run the bot (the default)")
    check = sub.add_parser("check-content", help="validate content packs and print a summary")
    check.add_argument("path", nargs="?", type=Path, help="a pack file or a folder of packs (default: seeds/)")
    copy_cmd = sub.add_parser(
        "copy-database", help="copy every table to a new, empty database (SQLite to PostgreSQL); stop the bot first"
    )
    copy_cmd.add_argument("--from", dest="source", required=True, metavar="URL", help="the bot's DATABASE_URL")
    copy_cmd.add_argument("--to", dest="target", required=True, metavar="URL", help="an empty database to fill")
    args = parser.parse_args(argv)

    load_dotenv()  # never overrides variables already in the environment
    if args.command == "check-content":
        path = args.path or _content_path_from_env()
        return check_content(path, sys.stdout)
    if args.command == "copy-database":
        return _copy_database(args.source, args.target)
    return run()


def _content_path_from_env() -> Path:
    raw = os.environ.get("CONTENT_PATH", "").strip()
    return Path(raw) if raw else DEFAULT_CONTENT_PATH


def _copy_database(source: str, target: str) -> int:
    from bot.storage import copy, url

    try:
        urls = [url.normalise(raw, Path.cwd()) for raw in (source, target)]
    except ValueError as error:
        print(f"error: copy-database: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(copy.run(*urls, sys.stdout, sys.stderr))


def run() -> int:
    """Run the bot until it is stopped; return the exit status."""
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level, settings.token)
    try:
        return asyncio.run(_run_bot(settings))
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return 130


async def _run_bot(settings: Settings) -> int:
    from bot.client import build_bot  # after logging is set up, so import-time logs are formatted
    from bot.storage import StorageError, open_database
    from bot.storage.leases import hold_leases

    try:
        content = await asyncio.to_thread(ContentStore.load, settings.content_path)
    except ContentError as error:
        print(f"error: the content packs have problems; the bot will not start:\n{error}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        db = await open_database(settings.database_url)
    except StorageError as error:  # its message names the database, never its password
        print(f"error: DATABASE_URL: {error}", file=sys.stderr)
        return EXIT_CONFIG
    leases = None
    try:
        # Before connecting: a process started for shards another one serves waits here.
        try:
            leases = await hold_leases(settings.database_url, settings.shards)
        except StorageError as error:
            print(f"error: DATABASE_URL: {error}", file=sys.stderr)
            return EXIT_CONFIG
        bot = build_bot(settings, db, content)
        if leases is not None:
            leases.on_lost = lambda reason: _stop_for(bot, reason)
        _install_signal_handlers(bot)
        async with bot:
            try:
                await bot.start(settings.token)
            except discord.LoginFailure:
                print(
                    "error: DISCORD_TOKEN was refused by Discord (401 Unauthorized): it was reset or "
                    f"mistyped. Get a new one from {PORTAL_HINT}",
                    file=sys.stderr,
                )
                return EXIT_CONFIG
            except discord.PrivilegedIntentsRequired:
                print("error: Discord asked for a privileged intent; this bot needs none.", file=sys.stderr)
                return EXIT_CONFIG
    finally:
        if leases is not None:
            await leases.release()
        await db.close()
    log.info("stopped cleanly")
    return 0


def _stop_for(bot: discord.Client, reason: str) -> None:
    """Stop serving: another process serves this one's shards now."""
    log.warning("stopping: %s", reason)
    task = asyncio.get_running_loop().create_task(asyncio.wait_for(bot.close(), SHUTDOWN_GRACE_SECONDS))
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


def _install_signal_handlers(bot: discord.Client) -> None:
    """Close the bot on SIGTERM and Ctrl-C (discord.py installs no handler with bot.start)."""
    loop = asyncio.get_running_loop()

    def shutdown(signame: str) -> None:
        log.info("%s received: shutting down", signame)
        task = loop.create_task(asyncio.wait_for(bot.close(), SHUTDOWN_GRACE_SECONDS))
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved: never "never retrieved"

    for sig in (signal.SIGTERM, signal.SIGINT):
        # On Windows there are no loop signal handlers; Ctrl-C still raises KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, shutdown, sig.name)


if __name__ == "__main__":
    sys.exit(main())
