"""Time loading a large content pack: TOML parse + validation + store build.

Run: python bench/bench_content.py [--quick] [--facts N] [--questions N] [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import Section, ms, verdict

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


TARGET = 1.0


def measure(facts: int = 10_000, questions: int = 10_000, runs: int = 5) -> Section:
    """Generate the pack, time each stage; the verdict is on ContentStore.load (what start-up runs)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        pack_file = Path(folder) / "bench.toml"
        pack_file.write_text(generate_pack(facts, questions), encoding="utf-8")
        result = load_packs(Path(folder))
        if result.issues:
            raise RuntimeError("the generated pack has problems: " + "; ".join(map(str, result.issues[:5])))
        size_mb = pack_file.stat().st_size / 1e6
        text = pack_file.read_text(encoding="utf-8")
        parse = best_of(runs, lambda: toml_parser.loads(text))
        load = best_of(runs, lambda: load_packs(Path(folder)))
        build = best_of(runs, lambda: ContentStore(result.packs))
        total = best_of(runs, lambda: ContentStore.load(Path(folder)))
    section = Section(
        title="5. Content load and validation",
        setup=(
            f"A generated pack of {facts:,} facts and {questions:,} questions ({size_mb:.1f} MB of TOML, every field "
            f"filled, a mix of question kinds, a tenth of the facts contested); best of {runs} runs each."
        ),
        columns=["stage", "time", "target", "verdict"],
    )
    section.add(f"TOML parse ({toml_parser.__name__})", ms(parse), "", "")
    section.add("load + validate (includes the parse)", ms(load), "", "")
    section.add("store build (indexes by id and topic)", ms(build), "", "")
    section.add("`ContentStore.load`: all of the above, as at start-up", ms(total), f"< {TARGET:.0f} s",
                verdict(total < TARGET))
    section.notes.append(f"Validation beyond the parse: about {ms(load - parse)}.")
    section.seconds = time.perf_counter() - started
    return section


def main() -> int:
    """Generate the pack, time each stage, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="1,000 facts and 1,000 questions, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.facts, args.questions, args.runs = 1_000, 1_000, 2
    print(measure(args.facts, args.questions, args.runs).markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
