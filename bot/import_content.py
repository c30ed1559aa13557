"""`python -m bot import-content FORMAT FILE`: write a pack from another bot's quiz list or a quiz API's answer.

Every format goes the same way: the pack is written only to a file that does not exist yet, then
checked as check-content checks it, and removed again when the bot would refuse it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import yaml

from bot.content import check_content
from bot.content import opentdb as otdb
from bot.content.issues import display_path
from bot.content.red_trivia import RedTriviaError, convert_red_trivia, pack_id_for
from bot.content.toml_writer import pack_toml
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT, EXIT_OK

__all__ = ["import_opentdb", "import_red_trivia"]

LICENCE_NOTE = (
    "Red-DiscordBot trivia lists are licensed under the GPL-3.0: if you share this pack, share it\n"
    "under that licence, crediting the list's author."
)


def import_red_trivia(source: Path, output: Path | None, difficulty: str, out: TextIO) -> int:
    """Convert the Red list at `source` into a pack at `output` (default: <list>.toml here),
    check the pack as check-content does, and return the exit status."""
    target = output or Path(f"{pack_id_for(source.stem)}.toml")
    text = _read_input(source, target, out)
    if text is None:
        return EXIT_CONFIG
    try:
        conversion = convert_red_trivia(yaml.safe_load(text), source.stem, difficulty=difficulty)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        print(f"error: {display_path(source)}: not valid YAML{line}: {getattr(error, 'problem', error)}", file=out)
        return EXIT_CONTENT
    except RedTriviaError as error:
        print(f"error: {display_path(source)}: {error}", file=out)
        return EXIT_CONTENT
    for line in conversion.left_out:
        print(f"left out: {display_path(source)}: {line}", file=out)
    if not conversion.question_count:
        print(f"error: {display_path(source)}: no question could be imported", file=out)
        return EXIT_CONTENT
    header = f"Imported from the Red-DiscordBot trivia list {source.name}: typed-only questions.\n{LICENCE_NOTE}"
    return _write_checked(target, pack_toml(conversion.document, header), conversion.question_count, out)


def import_opentdb(source: Path, output: Path | None, encoding: str | None, out: TextIO) -> int:
    """Convert the Open Trivia Database response at `source` into a pack at `output` (default:
    <file>.toml here), reading its texts in `encoding` (None: detect it); return the exit status."""
    target = output or Path(f"{otdb.pack_id_for(source.stem)}.toml")
    text = _read_input(source, target, out)
    if text is None:
        return EXIT_CONFIG
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        print(f"error: {display_path(source)}: not valid JSON (line {error.lineno}, column {error.colno}): "
              f"{error.msg}", file=out)
        return EXIT_CONTENT
    conversion = otdb.convert_opentdb(data, source, encoding=encoding)
    if conversion.problems:
        for issue in conversion.problems:
            print(issue, file=out)
        count = len(conversion.problems)
        print(f"{count} problem{'' if count == 1 else 's'} in {display_path(source)}; no pack written", file=out)
        return EXIT_CONTENT
    how = "detected; --encoding to choose" if conversion.detected else "as --encoding says"
    print(f"read {display_path(source)}: {conversion.encoding} encoding ({how})", file=out)
    header = (
        f"Imported from {source.name}: questions from the Open Trivia Database (https://opentdb.com/),\n"
        f"written by its contributors and licensed under CC BY-SA 4.0 ({otdb.LICENCE_URL}).\n"
        f"Changes: decoded from the API's {conversion.encoding} encoding and converted to this bot's pack format.\n"
        "This pack is licensed under CC BY-SA 4.0 too: if you share it, keep this notice and the licence."
    )
    return _write_checked(target, pack_toml(conversion.document, header), conversion.question_count, out)


def _read_input(source: Path, target: Path, out: TextIO) -> str | None:
    """The text of `source`, or None (the reason printed) when it cannot be read or `target` exists."""
    if target.exists():
        print(f"error: {display_path(target)} already exists; choose another file with --output", file=out)
        return None
    try:
        return source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: {display_path(source)}: cannot read it: {error}", file=out)
        return None


def _write_checked(target: Path, text: str, question_count: int, out: TextIO) -> int:
    """Write the pack, check it as check-content does and return the exit status."""
    try:
        with target.open("x", encoding="utf-8") as file:  # "x": never over a file made since the first look
            file.write(text)
    except FileExistsError:
        print(f"error: {display_path(target)} already exists; choose another file with --output", file=out)
        return EXIT_CONFIG
    print(f"wrote {display_path(target)}: {question_count} question{'' if question_count == 1 else 's'}", file=out)
    if not check_content(target, out):
        target.unlink()  # a pack the bot would refuse is no use; what is wrong was printed above
        return EXIT_CONTENT
    return EXIT_OK
