"""Time loading a large content pack: TOML parse + validation + store build.

Run: python bench/bench_content.py [--facts N] [--questions N] [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from bot.content import ContentStore, load_packs
from bot.content.pack_files import toml_parser

SOURCES = ("000_b178081dc7fa3cad.txt", "001_0c4f2a9e81d35b7c.txt", "002_9d3e5f7a1b2c4d6e.txt")
TOPICS = ("filming", "script", "cast", "set", "music", "crew", "fans", "history")


def generate_pack(facts: int, questions: int) -> str:
    """A valid pack with realistic text lengths: every field filled, a mix of question kinds."""
    lines = [
        "[pack]",
        'id = "bench"',
        'title = "Benchmark pack"',
        'description = "A large generated pack for timing the loader."',
    ]
    for number, file in enumerate(SOURCES):
        lines += ["", "[[sources]]", f'file = "{file}"', f'headline = "Headline {number} of the articles"']
    for i in range(facts):
        lines += [
            "",
            "[[facts]]",
            f'id = "fact-{i}"',
            f'text = "Fact {i}: the kiss was filmed before the parking-lot confession that leads up to it, '
            'which changed how both actors played the earlier scene."',
            f'topics = ["{TOPICS[i % len(TOPICS)]}", "{TOPICS[(i + 3) % len(TOPICS)]}"]',
            f'sources = ["{SOURCES[i % len(SOURCES)]}"]',
        ]
        if i % 10 == 0:
            lines.append('contested = "Article 003 says it was the first take; article 001 says the third."')
    for i in range(questions):
        fact = i % facts
        lines += ["", "[[questions]]", f'id = "q-{i}"', f'fact = "fact-{fact}"']
        if fact % 10 == 0:
            lines += [
                f'prompt = "Do the articles agree about fact {fact}?"',
                'answer = "False"',
                'wrong = ["True"]',
                "about_dispute = true",
            ]
        else:
            lines += [
                f'prompt = "Which scene of episode {i} was filmed first, according to the director?"',
                f'answer = "The kiss {i}"',
                'wrong = ["The parking-lot confession", "Both on the same take", "Neither: they were cut"]',
            ]
        lines += [
            'explanation = "The kiss was shot first, so the confession was played knowing what came next."',
            f'difficulty = "{("easy", "medium", "hard")[i % 3]}"',
        ]
    return "\n".join(lines) + "\n"


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `action`, in seconds (the least disturbed by other work)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> int:
    """Generate the pack, time each stage, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        pack_file = Path(folder) / "bench.toml"
        pack_file.write_text(generate_pack(args.facts, args.questions), encoding="utf-8")
        result = load_packs(Path(folder))
        if result.issues:
            print("the generated pack has problems:", *result.issues[:10], sep="\n")
            return 1
        size_mb = pack_file.stat().st_size / 1e6
        text = pack_file.read_text(encoding="utf-8")

        parse = best_of(args.runs, lambda: toml_parser.loads(text))
        load = best_of(args.runs, lambda: load_packs(Path(folder)))
        build = best_of(args.runs, lambda: ContentStore(result.packs))
        total = best_of(args.runs, lambda: ContentStore.load(Path(folder)))

    print(f"pack: {args.facts} facts, {args.questions} questions, {size_mb:.1f} MB; best of {args.runs} runs")
    print(f"  TOML parse ({toml_parser.__name__:6}) {parse * 1000:7.1f} ms")
    print(f"  load + validate      {load * 1000:8.1f} ms  (~{(load - parse) * 1000:.0f} ms beyond the parse)")
    print(f"  store build          {build * 1000:8.1f} ms")
    print(f"  ContentStore.load    {total * 1000:8.1f} ms  (all of the above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
