"""Many rounds at once against Discord's rate limits, through the strict loopback fake.

N rounds start at once in N servers (the commands arriving evenly over 2 s; `/quiz start
questions:3 seconds:5`, the real reveal pause of 5 s); each player clicks every question once, at a
random moment of its 5 seconds counted from when the fake stored the question message. The fake
enforces Discord's limits (50 requests a second per bot outside interaction endpoints, 5 creates
and 5 edits per 5 s per channel, 5 requests per 2 s per interaction webhook), so every 429 the bot
caused is counted.

What is checked, per scale: 429s (and other refusals); rounds finished; every click answered and
"Locked in" (a click sent inside a question's time but refused as closed means the question was cut
short); answers saved against clicks accepted (a point lost is an accepted click with no row); how
long each question was open at the fake (post to reveal) against its 5 s; and how far each pause
between a reveal and the next question stretched beyond the 5 s the bot waits.

`--channel-only` runs the same rounds with the interaction token unused (every message through the
channel, within the bot's REST budget): the measurement behind posting through the token.

Run: python bench/bench_rounds.py [--quick] [--channel-only] [--scales 100,300,1000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from common import Section, ms, percentile, verdict
from harness import DEADLINE, TOKEN, populate, quiet_logging, quiz_bot, settle

from bot.clock import REVEAL_PAUSE
from tests.fakediscord import FakeDiscord, InteractionRecord, StoredMessage
from tests.fakediscord.ratelimits import is_interaction_endpoint

QUESTIONS = 3
SECONDS = 5
CLICK_WINDOW = (0.2, SECONDS - 0.4)  # seconds after the post; the last 0.4 s is left for the trip
START_SPREAD = 2.0  # seconds over which the /quiz starts arrive, evenly


@dataclass(frozen=True)
class Scale:
    rounds: int
    players: int
    facts_per_second: float = 0.0  # /fact calls alongside, across the servers


FULL = (Scale(100, 20, 100.0), Scale(300, 5), Scale(1000, 2))
QUICK = (Scale(20, 5, 20.0), Scale(60, 2))


@dataclass
class Timeline:
    """What the fake saw of one question message: when it was posted and when it was revealed."""

    number: int
    posted: float
    revealed: float | None = None


@dataclass
class Run:
    scale: Scale
    channel_only: bool
    started: int = 0
    finished: int = 0
    rate_limited: int = 0
    other_refusals: int = 0
    invalid_requests: int = 0
    global_requests: int = 0  # requests that count toward the 50 a second
    token_requests: int = 0  # posts and edits through interaction webhooks (round messages)
    clicks: list[InteractionRecord] = field(default_factory=list)
    click_posted: list[float] = field(default_factory=list)  # the question's post time, per click
    facts: list[InteractionRecord] = field(default_factory=list)
    starts: list[InteractionRecord] = field(default_factory=list)
    questions: dict[int, list[Timeline]] = field(default_factory=lambda: defaultdict(list))  # by channel
    answers_saved: int = 0
    wall: float = 0.0

    @property
    def accepted(self) -> int:
        return sum((c.content or "").startswith("Locked in") for c in self.clicks)

    @property
    def unanswered(self) -> int:
        return sum(c.initial is None for c in self.clicks)

    @property
    def cut_short(self) -> int:
        """Clicks the fake sent inside the question's time (from its post) refused as closed."""
        return sum(
            1 for c, posted in zip(self.clicks, self.click_posted, strict=True)
            if c.created_at - posted < SECONDS and (c.content or "").startswith("This question is closed")
        )

    @property
    def sent_late(self) -> int:
        """Clicks the load generator sent after the question's time (it fell behind): rightly closed."""
        return sum(1 for c, posted in zip(self.clicks, self.click_posted, strict=True)
                   if c.created_at - posted >= SECONDS)

    def open_times(self) -> list[float]:
        return [q.revealed - q.posted for qs in self.questions.values() for q in qs if q.revealed is not None]

    def pause_stretch(self) -> list[float]:
        """How much longer than the reveal pause each gap between a reveal and the next post was."""
        stretch = []
        for timeline in self.questions.values():
            ordered = sorted(timeline, key=lambda q: q.number)
            for before, after in itertools.pairwise(ordered):
                if before.revealed is not None:
                    stretch.append(max(0.0, after.posted - before.revealed - REVEAL_PAUSE))
        return stretch


def question_number(message: StoredMessage) -> int | None:
    if not message.embeds or not message.buttons:
        return None
    title = message.embeds[0].get("title", "")
    if title.startswith("Question ") and not title.endswith("closed"):
        return int(title.split()[1])
    return None


def watch(fake: FakeDiscord, run: Run, on_question) -> None:
    """Record when each question message is posted and revealed (wrapping the fake's posting)."""
    posting = fake.posting
    post, edit = posting.post, posting.edit

    def recording_post(channel, state, **meta):
        message = post(channel, state, **meta)
        number = question_number(message)
        if number is not None:
            timeline = Timeline(number, fake.clock.monotonic())
            run.questions[channel.id].append(timeline)
            on_question(message, timeline)
        return message

    def recording_edit(message, changes, attachments):
        edit(message, changes, attachments)
        title = message.embeds[0].get("title", "") if message.embeds else ""
        if title.endswith("closed"):
            for timeline in run.questions[message.channel.id]:
                if timeline.revealed is None and f"Question {timeline.number} " in title:
                    timeline.revealed = fake.clock.monotonic()

    posting.post, posting.edit = recording_post, recording_edit  # type: ignore[method-assign]


async def run_scale(scale: Scale, *, channel_only: bool) -> Run:
    run = Run(scale, channel_only)
    rng = random.Random(f"rounds-{scale.rounds}")
    loop = asyncio.get_running_loop()
    pending: list[asyncio.Task] = []
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, scale.rounds, scale.players)
        by_channel = {s.channel.id: s for s in servers}

        def on_question(message: StoredMessage, timeline: Timeline) -> None:
            server = by_channel[message.channel.id]
            ids = [b["custom_id"] for b in message.buttons]
            for member in server.players:
                delay = rng.uniform(*CLICK_WINDOW)
                custom_id = rng.choice(ids)

                def send(m=message, c=custom_id, p=member, posted=timeline.posted) -> None:
                    pending.append(loop.create_task(click(m, c, p, posted)))

                loop.call_later(delay, send)

        async def click(message, custom_id, member, posted) -> None:
            record = await fake.click(message, custom_id, member, stale=True)
            run.clicks.append(record)
            run.click_posted.append(posted)

        watch(fake, run, on_question)
        with tempfile.TemporaryDirectory() as folder:
            async with quiz_bot(fake, Path(folder), reveal_pause=REVEAL_PAUSE) as bot:
                if channel_only:
                    # The module the bot loaded now: discord.py re-imports a cog's modules
                    # for every bot that loads it. Its token then counts as dead from the start.
                    sys.modules["cogs.quiz.messages"].TOKEN_LIFETIME = 0.0
                fake.requests.clear()
                started = time.monotonic()
                facts = asyncio.create_task(fact_load(fake, servers, scale, run, rng))
                starts = await asyncio.gather(*(start_round(fake, s, n * START_SPREAD / len(servers))
                                                for n, s in enumerate(servers)))
                run.starts = list(starts)
                await settle(run.starts, fake)
                run.started = sum(1 for s in run.starts if s.initial is not None and not s.ephemeral)
                quiz = bot.get_cog("Quiz")
                give_up = time.monotonic() + 120 + scale.rounds * 0.2
                # Every round ends with its standings, or has no runner any more (it failed).
                while time.monotonic() < give_up and not all(finished(s.channel) for s in servers):
                    if not quiz.runners and time.monotonic() > started + 30:
                        break
                    await asyncio.sleep(0.5)
                facts.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                await settle(run.clicks + run.facts, fake)
                run.wall = time.monotonic() - started
                run.finished = sum(finished(s.channel) for s in servers)
                row = await bot.db.fetch_one("SELECT COUNT(*) AS n FROM answers")
                run.answers_saved = row["n"]
        run.rate_limited = len(fake.rate_limited)
        run.other_refusals = len(fake.rejections) - run.rate_limited
        run.invalid_requests = fake.invalid_request_count
        run.global_requests = sum(1 for r in fake.requests if not is_interaction_endpoint(r.route.split(" ", 1)[1]))
        run.token_requests = sum(1 for r in fake.requests if r.route.split(" ", 1)[1].startswith("/webhooks/"))
    return run


async def start_round(fake: FakeDiscord, server, delay: float) -> InteractionRecord:
    await asyncio.sleep(delay)
    return await fake.invoke(server.guild, server.channel, server.players[0], "quiz start",
                             questions=QUESTIONS, seconds=SECONDS)


def finished(channel) -> bool:
    return any(m.embeds and m.embeds[0].get("title") == "Final standings" for m in channel.all_messages)


async def fact_load(fake: FakeDiscord, servers, scale: Scale, run: Run, rng: random.Random) -> None:
    """/fact at `facts_per_second` across the servers while the rounds run (each member at most
    once every 8 s, inside the cooldown of 3 per 20 s)."""
    if scale.facts_per_second <= 0:
        return
    members = [(s, m) for s in servers for m in s.players]
    rng.shuffle(members)
    interval = 1.0 / scale.facts_per_second
    tasks = []
    try:
        for n in range(10**9):
            server, member = members[n % len(members)]
            tasks.append(asyncio.create_task(fake.invoke(server.guild, server.channel, member, "fact")))
            await asyncio.sleep(interval)
    finally:
        done = await asyncio.gather(*tasks, return_exceptions=True)
        run.facts = [r for r in done if isinstance(r, InteractionRecord)]


async def measure(scales: tuple[Scale, ...], *, channel_only: bool = False) -> Section:
    started = time.perf_counter()
    runs = [await run_scale(scale, channel_only=channel_only) for scale in scales]
    section = report(runs, channel_only)
    section.seconds = time.perf_counter() - started
    return section


def fmt_s(value: float) -> str:
    return "—" if value != value else f"{value:.2f} s"


def report(runs: list[Run], channel_only: bool) -> Section:
    how = "every message through the channel, within the bot's REST budget" if channel_only else (
        "as the bot runs: messages through the /quiz start interaction's token while it lives")
    section = Section(
        title="7. Rounds at scale under Discord's rate limits" + (" (channel only)" if channel_only else ""),
        setup=(
            f"N rounds started at once in N servers (the starts arriving evenly over {START_SPREAD:g} s), "
            f"`/quiz start questions:{QUESTIONS} seconds:{SECONDS}`, "
            f"the real reveal pause ({REVEAL_PAUSE:g} s), {how}. Every player clicks every question once, at a "
            f"random moment {CLICK_WINDOW[0]:g}–{CLICK_WINDOW[1]:g} s after the fake stored the question. The "
            "fake enforces Discord's limits (50 requests/s per bot outside interaction endpoints, 5 creates "
            "and 5 edits per 5 s per channel, 5 requests per 2 s per interaction webhook). One process, "
            "one event loop, the fake included, as in the other load benchmarks."
        ),
        columns=["figure"] + [f"{r.scale.rounds} rounds × {r.scale.players} players"
                              + (f" + /fact {r.scale.facts_per_second:g}/s" if r.scale.facts_per_second else "")
                              for r in runs] + ["target", "verdict"],
    )

    def row(name: str, values: list[str], target: str = "", ok: bool | None = None) -> None:
        section.add(name, *values, target, "" if ok is None else verdict(ok))

    row("429 responses", [str(r.rate_limited) for r in runs], "0", all(r.rate_limited == 0 for r in runs))
    row("other refusals by the fake / invalid requests counted",
        [f"{r.other_refusals} / {r.invalid_requests}" for r in runs], "0 / 0",
        all(r.other_refusals == 0 and r.invalid_requests == 0 for r in runs))
    row("rounds started / finished", [f"{r.started} / {r.finished} of {r.scale.rounds}" for r in runs], "all",
        all(r.started == r.finished == r.scale.rounds for r in runs))
    row("clicks sent / of them after the question's time (the generator fell behind)",
        [f"{len(r.clicks):,} / {r.sent_late:,}" for r in runs], "",
        None)
    # A click sent after the time at the fake may still be in time for the bot, which starts a
    # question's time when its post returns: "Locked in" can exceed the clicks sent in time.
    row("clicks answered \"Locked in\" / not answered at all",
        [f"{r.accepted:,} / {r.unanswered}" for r in runs], "… / 0",
        all(len(r.clicks) == r.scale.rounds * r.scale.players * QUESTIONS and r.unanswered == 0 for r in runs))
    row("clicks inside the question's time refused as closed", [str(r.cut_short) for r in runs], "0",
        all(r.cut_short == 0 for r in runs))
    row("answers saved / accepted (a point lost is a missing row)",
        [f"{r.answers_saved:,} / {r.accepted:,}" for r in runs], "equal",
        all(r.answers_saved == r.accepted for r in runs))
    opens = [r.open_times() for r in runs]
    row(f"question open at the fake, min (post to reveal; {SECONDS} s asked)",
        [fmt_s(min(o, default=float("nan"))) for o in opens], f"≥ {SECONDS} s",
        all(o and min(o) >= SECONDS for o in opens))
    row("question open at the fake, p50 / max",
        [f"{fmt_s(percentile(o, 0.5))} / {fmt_s(max(o, default=float('nan')))}" for o in opens])
    stretches = [r.pause_stretch() for r in runs]
    row(f"pause between questions: stretch beyond {REVEAL_PAUSE:g} s, p50 / p99 / max",
        [f"{fmt_s(percentile(s, 0.5))} / {fmt_s(percentile(s, 0.99))} / {fmt_s(max(s, default=float('nan')))}"
         for s in stretches], "none (the aim)")
    firsts = []
    for r in runs:
        posted = {}
        for channel_id, timeline in r.questions.items():
            q1 = next((q.posted for q in timeline if q.number == 1), None)
            if q1 is not None:
                posted[channel_id] = q1
        waits = [posted[s.channel.id] - s.created_at for s in r.starts if s.channel and s.channel.id in posted]
        firsts.append(waits)
    row("/quiz start to question 1 posted, p50 / max",
        [f"{fmt_s(percentile(w, 0.5))} / {fmt_s(max(w, default=float('nan')))}" for w in firsts])
    click_latency = [[c.ack_latency for c in r.clicks if c.initial is not None] for r in runs]
    row("click acknowledgement p99 / max",
        [f"{ms(percentile(c, 0.99))} / {ms(max(c, default=float('nan')))}" for c in click_latency],
        f"max < {DEADLINE:g} s", all(c and max(c) < DEADLINE for c in click_latency))
    row("/fact calls answered", [f"{sum(f.initial is not None for f in r.facts):,} of {len(r.facts):,}"
                                 if r.facts else "—" for r in runs])
    row("requests per round: under the global limit / through the interaction token",
        [f"{r.global_requests / r.scale.rounds:.1f} / {r.token_requests / r.scale.rounds:.1f}" for r in runs])
    row("requests under the global limit, per second of the run",
        [f"{r.global_requests / r.wall:.1f}" for r in runs], "< 50")
    row("run time (first start to last standings)", [fmt_s(r.wall) for r in runs])
    section.notes += [
        "Open time is measured at the fake, from storing the question message to storing its reveal; the "
        "bot starts a question's time when its post returns, so the fake sees at least the full time "
        "plus the trip. The pause stretch is the gap from a reveal to the next question's post, less the "
        f"{REVEAL_PAUSE:g} s the bot waits on purpose: it is what waiting (for the budget, for discord.py's "
        "per-route pacing, or for a busy event loop) added.",
        "The load generator runs on the bot's event loop: when the loop is busy its clicks go out late, "
        "some after the question's time (those may rightly be refused); they are counted apart. A click "
        "sent in time and refused as closed would mean the question was cut short.",
        "Requests per round: everything the fake served after the bot was ready that counts toward the "
        "global limit (channel posts and edits), and the round messages sent through the interaction "
        "token (follow-ups and their edits); click and /fact callbacks are outside both.",
    ]
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales, a smoke run")
    parser.add_argument("--channel-only", action="store_true", help="never use the interaction token")
    parser.add_argument("--scales", help="comma-separated round counts of the full scales to run, e.g. 300")
    args = parser.parse_args()
    quiet_logging()
    scales = QUICK if args.quick else FULL
    if args.scales:
        wanted = {int(n) for n in args.scales.split(",")}
        scales = tuple(s for s in FULL if s.rounds in wanted)
    section = asyncio.run(measure(scales, channel_only=args.channel_only))
    print(section.markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
