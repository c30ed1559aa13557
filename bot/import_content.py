"""`python -m bot import-content red-trivia FILE.yaml`: write a pack from another bot's quiz list."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import yaml

from bot.content import check_content
from bot.content.issues import display_path
from bot.content.red_trivia import RedTriviaError, convert_red_trivia, pack_id_for
from bot.content.toml_writer import pack_toml
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT, EXIT_OK

__all__ = ["import_red_trivia"]

LICENCE_NOTE = (
    "Red-DiscordBot trivia lists are licensed under the GPL-3.0: if you share this pack, share it\n"
    "under that licence, crediting the list's author."
)


def import_red_trivia(source: Path, output: Path | None, difficulty: str, out: TextIO) -> int:
    """Convert the Red list at `source` into a pack at `output` (default: <list>.toml here),
    check the pack as check-content does, and return the exit status."""
    target = output or Path(f"{pack_id_for(source.stem)}.toml")
    if target.exists():
        print(f"error: {display_path(target)} already exists; choose another file with --output", file=out)
        return EXIT_CONFIG
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: {display_path(source)}: cannot read it: {error}", file=out)
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
    target.write_text(pack_toml(conversion.document, header), encoding="utf-8")
    print(f"wrote {display_path(target)}: {conversion.question_count} questions", file=out)
    if not check_content(target, out):
        target.unlink()  # a pack the bot would refuse is no use; what is wrong was printed above
        return EXIT_CONTENT
    return EXIT_OK
