"""`check-content`: validate packs without starting the bot and print what they hold."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .issues import ContentIssue, display_path
from .lint import lint_packs
from .loader import load_packs
from .model import Pack
from .store import ContentStore


def _plural(count: int, noun: str) -> str:
    """'1 fact', '2 facts'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _pack_lines(pack: Pack) -> list[str]:
    """A few lines describing one pack."""
    true_false = sum(1 for question in pack.questions if question.is_true_false)
    contested = sum(1 for fact in pack.facts if fact.is_contested)
    topics = sorted(
        {topic for fact in pack.facts for topic in fact.topics} | {t for q in pack.questions for t in q.topics}
    )
    return [
        f"{display_path(pack.path)}: pack {pack.id!r}: {pack.title}",
        f"  {_plural(len(pack.facts), 'fact')}, {contested} contested, from {_plural(len(pack.sources), 'source')}",
        f"  {_plural(len(pack.questions), 'question')}: "
        f"{sum(q.on_buttons for q in pack.questions) - true_false} multiple choice, {true_false} true/false, "
        f"{sum(not q.on_buttons for q in pack.questions)} typed only; "
        f"{sum(q.typed_play for q in pack.questions)} fit for typed play",
        f"  {_plural(len(topics), 'topic')}: {', '.join(topics)}",
    ]


def read_sources(folder: Path, packs: Sequence[Pack]) -> tuple[dict[str, str] | None, list[ContentIssue]]:
    """The text of each source the packs declare that `folder` holds (None without a folder), and any problem."""
    if not folder.is_dir():
        return None, [ContentIssue(folder, "sources folder", None, "does not exist or is not a folder")]
    texts: dict[str, str] = {}
    problems: list[ContentIssue] = []
    for file in sorted({source.file for pack in packs for source in pack.sources}):
        path = folder / file
        if not path.is_file():
            continue  # the lint names the source as not found
        try:
            texts[file] = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(ContentIssue(path, "source article", None, f"cannot be read: {error}"))
    return texts, problems


def check_content(path: Path, out: TextIO, *, strict: bool = False, sources: Path | None = None) -> bool:
    """Check the packs at `path`; print every problem and warning, and a per-pack summary when sound.

    Returns False when there is a problem (or, with `strict`, a warning), else True. With `sources`, a folder
    of the packs' source articles, text copied from them outside quotation marks is a warning too.
    """
    result = load_packs(path)
    problems = list(result.issues)
    texts = None
    if sources is not None:
        texts, unreadable = read_sources(sources, result.packs)
        problems += unreadable
    warnings = lint_packs(result.packs, texts)
    if strict:
        problems, warnings = problems + warnings, []
    for issue in problems:
        print(issue, file=out)
    for issue in warnings:
        print(f"warning: {issue}", file=out)
    if problems:
        print(f"{_plural(len(problems), 'problem')} in {display_path(path)}", file=out)
        return False
    for pack in result.packs:
        print("\n".join(_pack_lines(pack)), file=out)
    counts = ContentStore(result.packs).counts
    print(
        f"OK: {_plural(counts.packs, 'pack')}, {_plural(counts.facts, 'fact')} "
        f"({counts.contested} contested), {_plural(counts.questions, 'question')}, "
        f"{_plural(counts.topics, 'topic')}",
        file=out,
    )
    if warnings:
        print(f"{_plural(len(warnings), 'warning')} (errors with --strict)", file=out)
    return True
