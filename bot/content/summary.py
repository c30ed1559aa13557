"""`check-content`: validate packs without starting the bot and print what they hold."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .issues import display_path
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
    topics = sorted({topic for fact in pack.facts for topic in fact.topics})
    return [
        f"{display_path(pack.path)}: pack {pack.id!r}: {pack.title}",
        f"  {_plural(len(pack.facts), 'fact')}, {contested} contested, from {_plural(len(pack.sources), 'source')}",
        f"  {_plural(len(pack.questions), 'question')}: "
        f"{len(pack.questions) - true_false} multiple choice, {true_false} true/false",
        f"  {_plural(len(topics), 'topic')}: {', '.join(topics)}",
    ]


def check_content(path: Path, out: TextIO) -> bool:
    """Check the packs at `path`; print every problem or a per-pack summary; return whether it is sound."""
    result = load_packs(path)
    if result.issues:
        for issue in result.issues:
            print(issue, file=out)
        print(f"{_plural(len(result.issues), 'problem')} in {display_path(path)}", file=out)
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
    return True
