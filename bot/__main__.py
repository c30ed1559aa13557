"""`python -m bot` runs the bot; `check-content [--strict] [--sources DIR] [PATH]` checks content packs;
`copy-database` moves the data to another database; `import-content red-trivia FILE.yaml` (or `opentdb FILE.json`)
writes a pack from a Red-DiscordBot trivia list (or an Open Trivia Database API response)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

import discord
from dotenv import load_dotenv

from bot import __version__
from bot.cli_help import help_epilog, program_name
from bot.content import DIFFICULTIES, ContentError, ContentStore, check_content
from bot.content.opentdb import ENCODINGS as OPENTDB_ENCODINGS
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT, EXIT_INTERRUPTED, EXIT_OK
from bot.host_config import DEFAULT_CONTENT_PATH, PORTAL_HINT, HostConfig, HostConfigError
from bot.lifecycle import LifecycleTiming, serve
from bot.logsetup import setup_logging

log = logging.getLogger("bot")



def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=program_name(sys.argv[0]),
        description="Casino Night quiz-and-facts bot.",
        epilog=help_epilog(Path.cwd()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and run the bot (the default)")
    check = sub.add_parser("check-content", help="validate content packs and print a summary")
    check.add_argument(
        "path", nargs="?", type=Path,
        help="a pack file or a folder of packs (default: CONTENT_PATH, else the shipped pack)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors (CI runs this)")
    check.add_argument(
        "--sources", type=Path, metavar="DIR", help="the packs' source articles: warn about text copied from them"
    )
    copy_cmd = sub.add_parser(
        "copy-database", help="copy every table to a new, empty database (SQLite to PostgreSQL); stop the bot first"
    )
    copy_cmd.add_argument("--from", dest="source", required=True, metavar="URL", help="the bot's DATABASE_URL")
    copy_cmd.add_argument("--to", dest="target", required=True, metavar="URL", help="an empty database to fill")
    imports = sub.add_parser(
        "import-content", help="write a content pack from another bot's quiz list or an Open Trivia Database response"
    )
    imports.add_argument(
        "format", choices=["red-trivia", "opentdb"],
        help="red-trivia: a Red-DiscordBot trivia list (YAML); opentdb: an Open Trivia Database API response (JSON)",
    )
    imports.add_argument("file", type=Path, help="the list (or response) to convert")
    imports.add_argument(
        "--output", "--out", "-o", type=Path, metavar="FILE",
        help="the pack to write (default: the list's name as a .toml file in the current folder); never overwritten",
    )
    imports.add_argument(
        "--difficulty", choices=DIFFICULTIES,
        help="red-trivia: the difficulty of every question (default: medium); opentdb results carry their own",
    )
    imports.add_argument(
        "--encoding", choices=OPENTDB_ENCODINGS,
        help="opentdb: how the response's texts are encoded: html (the API's default), or the API's encode= "
        "url3986, urlLegacy or base64 (default: told from the results)",
    )
    args = parser.parse_args(argv)
    if args.command == "import-content":
        wrong = "--encoding" if args.format == "red-trivia" and args.encoding else None
        wrong = wrong or ("--difficulty" if args.format == "opentdb" and args.difficulty else None)
        if wrong:
            parser.error(f"import-content {args.format} takes no {wrong}")
    args = parser.parse_args(argv)

    # .env is read from the folder the bot is started in (as DATABASE_URL's relative paths are),
    # never from beside the code; it never overrides variables already in the environment.
    load_dotenv(Path.cwd() / ".env")
    if args.command == "check-content":
        path = args.path or _content_path_from_env()
        sound = check_content(path, sys.stdout, strict=args.strict, sources=args.sources)
        return EXIT_OK if sound else EXIT_CONTENT
    if args.command == "copy-database":
        return _copy_database(args.source, args.target)
    if args.command == "import-content":
        from bot import import_content  # YAML is only needed here

        if args.format == "opentdb":
            return import_content.import_opentdb(args.file, args.output, args.encoding, sys.stdout)
        return import_content.import_red_trivia(args.file, args.output, args.difficulty or "medium", sys.stdout)
    return run()


def _content_path_from_env() -> Path:
    raw = os.environ.get("CONTENT_PATH", "").strip()
    return Path(raw) if raw else DEFAULT_CONTENT_PATH


def _copy_database(source: str, target: str) -> int:
    from bot.storage import copy as copying
    from bot.storage import url

    try:
        urls = [url.normalise(raw, Path.cwd()) for raw in (source, target)]
    except ValueError as error:
        print(f"error: copy-database: {error}", file=sys.stderr)
        return EXIT_CONFIG
    source_url, target_url = urls
    return asyncio.run(copying.run(source_url, target_url, sys.stdout, sys.stderr))


def run() -> int:
    """Run the bot until it is stopped; return the exit status."""
    try:
        host_config = HostConfig.from_env(os.environ)
    except HostConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(host_config.log_level, host_config.token)
    try:
        return asyncio.run(_run_bot(host_config))
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return EXIT_INTERRUPTED


async def _run_bot(host_config: HostConfig, lifecycle: LifecycleTiming | None = None) -> int:
    from bot.client import build_bot  # after logging is set up, so import-time logs are formatted
    from bot.storage import StorageError, open_database
    from bot.storage.leases import hold_leases

    try:
        content = await asyncio.to_thread(ContentStore.load, host_config.content_path)
    except ContentError as error:
        print(f"error: the content packs have problems; the bot will not start:\n{error}", file=sys.stderr)
        return EXIT_CONTENT
    try:
        db = await open_database(host_config.database_url)
    except StorageError as error:  # its message names the database, never its password
        print(f"error: DATABASE_URL: {error}", file=sys.stderr)
        return EXIT_CONFIG
    leases = None
    try:
        # Before connecting: a process started for shards another one serves waits here.
        try:
            leases = await hold_leases(host_config.database_url, host_config.shards)
        except StorageError as error:
            print(f"error: DATABASE_URL: {error}", file=sys.stderr)
            return EXIT_CONFIG
        bot = build_bot(host_config, db, content)
        stop = asyncio.Event()  # set when another process has taken this one's shards
        if leases is not None:
            leases.on_lost = lambda reason: _stop_for(stop, reason)
        try:
            await serve(bot, host_config.token, lifecycle, stop=stop)
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
    return EXIT_OK


def _stop_for(stop: asyncio.Event, reason: str) -> None:
    """Stop serving: another process serves this one's shards now."""
    log.warning("stopping: %s", reason)
    stop.set()


if __name__ == "__main__":
    sys.exit(main())
