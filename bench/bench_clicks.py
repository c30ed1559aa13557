"""Answer clicks under load, the quiz bot against the baseline bot, through the loopback fake Discord.

100 rounds run at once in 100 channels (one per server); 20 players in each answer every
question, their clicks spread at random over two seconds, so about 1,000 clicks a second are
offered. The same schedule (same moments, same buttons) is then sent to the baseline bot, which
answers every click with a fixed ephemeral reply. Acknowledgement latency is what the fake
measures from dispatching INTERACTION_CREATE to accepting the initial callback.

A second figure, capacity, sends the clicks in batches of one per channel, the next batch as
soon as the previous one is answered: how many clicks a second each bot can take on this
machine when nothing waits on a schedule.

Run: python bench/bench_clicks.py [--quick]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from baseline_bot import BaselineBot
from common import Section, ms, ratio, verdict
from harness import (
    DEADLINE,
    TOKEN,
    LoadFigures,
    Planned,
    Server,
    baseline_bot,
    content,
    load_benchmark_main,
    poll_until,
    populate,
    quiz_bot,
    run_wave,
    spread,
)

from bot.ui.quiz import LETTERS, question_embed
from tests.fakediscord import FakeDiscord, StoredMessage

P99_TARGET = 0.100
RATE_TARGET = 0.80


@dataclass(frozen=True)
class Load:
    servers: int = 100
    players: int = 20
    questions: int = 3
    seconds: int = 5  # per question, game seconds; the clock runs at wall speed here
    spread: float = 2.0  # each question's clicks are spread over this many seconds
    capacity_seconds: int = 30
    repeats: int = 2  # baseline, quiz bot, baseline, quiz bot: both see the same machine noise
    capacity_repeats: int = 3

    @property
    def offered(self) -> float:
        return self.servers * self.players / self.spread


FULL = Load()
QUICK = Load(servers=20, players=10, questions=1, capacity_seconds=15, repeats=1, capacity_repeats=1)


@dataclass
class BotRun:
    load: LoadFigures
    rejections: int
    other_replies: int  # clicks answered with something other than the expected reply
    rate_limited: int = 0  # 429s the fake answered (part of the rejections)


# -- the schedule, shared by both bots --------------------------------------------------------


def click_plan(fake: FakeDiscord, servers: list[Server], messages: list[StoredMessage], wave: int,
               seconds: float) -> list[Planned]:
    """Every player of every server clicks one button of that server's message, at a random
    moment in `seconds` from now; the same wave number gives the same moments and choices."""
    rng = random.Random(f"clicks-{wave}")
    start = time.monotonic() + 0.05
    plan = []
    for server, message in zip(servers, messages, strict=True):
        ids = [b["custom_id"] for b in message.buttons]
        moments = spread(len(server.players), start, seconds, rng)
        for member, at in zip(server.players, moments, strict=True):
            custom_id = ids[int(rng.random() * len(ids))]
            plan.append(Planned(at, lambda m=message, c=custom_id, p=member: fake.click(m, c, p, stale=True)))
    return plan


async def capacity_waves(fake: FakeDiscord, servers: list[Server], messages: list[StoredMessage]) -> LoadFigures:
    """Batches of one click per channel, each sent as soon as the previous batch is answered."""
    figures = LoadFigures()
    players = len(servers[0].players)
    for p in range(players):
        now = time.monotonic()
        plan = []
        for server, message in zip(servers, messages, strict=True):
            ids = [b["custom_id"] for b in message.buttons]
            custom_id = ids[p % len(ids)]
            member = server.players[p]
            plan.append(Planned(now, lambda m=message, c=custom_id, u=member: fake.click(m, c, u, stale=True)))
        figures.waves.append(await run_wave(fake, plan))
    return figures


# -- the quiz bot -----------------------------------------------------------------------------


def question_message(server: Server, number: int) -> StoredMessage | None:
    for message in reversed(server.channel.all_messages):
        if message.ephemeral or message.deleted or not message.embeds:
            continue
        title = message.embeds[0].get("title", "")
        if title.startswith(f"Question {number} of") and not title.endswith("closed") and message.buttons:
            return message
    return None


def has_standings(server: Server) -> bool:
    return any(m.embeds and m.embeds[0].get("title") == "Final standings" for m in server.channel.messages)


async def start_rounds(fake: FakeDiscord, servers: list[Server], questions: int, seconds: int) -> None:
    now = time.monotonic()
    plan = [
        Planned(now, lambda s=s: fake.invoke(s.guild, s.channel, s.players[0], "quiz start",
                                             questions=questions, seconds=seconds))
        for s in servers
    ]
    wave = await run_wave(fake, plan)
    refused = [s for s in wave.samples if s.acked is None or s.ephemeral]
    if refused:
        raise RuntimeError(f"{len(refused)} rounds did not start: {refused[0].reply!r}")


async def questions_posted(servers: list[Server], number: int, timeout: float = 30) -> list[StoredMessage]:
    def check() -> list[StoredMessage] | None:
        found = [question_message(s, number) for s in servers]
        return found if all(found) else None

    return await poll_until(check, timeout, f"question {number} in every channel")


async def run_quiz_bot(load: Load) -> BotRun:
    figures = LoadFigures()
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.servers, load.players)
        with tempfile.TemporaryDirectory() as folder:
            async with quiz_bot(fake, Path(folder), reveal_pause=1.0):
                await start_rounds(fake, servers, load.questions, load.seconds)
                for number in range(1, load.questions + 1):
                    messages = await questions_posted(servers, number)
                    wave = await run_wave(fake, click_plan(fake, servers, messages, number, load.spread))
                    figures.waves.append(wave)
                await poll_until(lambda: all(has_standings(s) for s in servers), 30, "every round to finish")
            rejections, rate_limited = len(fake.rejections), len(fake.rate_limited)
    other = sum(1 for s in figures.samples if s.acked is not None and not (s.reply or "").startswith("Locked in"))
    return BotRun(figures, rejections, other, rate_limited)


async def capacity_quiz_bot(load: Load) -> LoadFigures:
    """Fresh rounds with one long question, clicked as fast as the clicks are answered."""
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.servers, load.players)
        with tempfile.TemporaryDirectory() as folder:
            async with quiz_bot(fake, Path(folder), reveal_pause=1.0):
                await start_rounds(fake, servers, 1, load.capacity_seconds)
                return await capacity_waves(fake, servers, await questions_posted(servers, 1))


async def capacity_baseline(load: Load) -> LoadFigures:
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.servers, load.players)
        async with baseline_bot(fake) as bot:
            return await capacity_waves(fake, servers, await post_like_questions(bot, fake, servers, 99))


# -- the baseline -----------------------------------------------------------------------------


async def post_like_questions(bot: BaselineBot, fake: FakeDiscord, servers: list[Server],
                              wave: int) -> list[StoredMessage]:
    """One message per channel shaped like a quiz question (embed and buttons), posted by the baseline."""
    rng = random.Random(f"questions-{wave}")
    pool = content().questions
    closes_at = int(time.time()) + 5

    async def post(server: Server) -> StoredMessage:
        question = rng.choice(pool)
        options, _ = question.presented_options(rng)
        labels = list(options) if question.is_true_false else list(LETTERS[: len(options)])
        from bot.quiz import AskedQuestion

        asked = AskedQuestion(question.id, question.prompt, options, 0, question.explanation, question.fact_id)
        embed = question_embed(asked, wave, 3, closes_at)
        ids = [f"baseline:{wave}:{server.channel.id}:{i}" for i in range(len(options))]
        message_id = await bot.post_buttons(server.channel.id, embed, ids, labels)
        return fake.world.messages[message_id]

    # Channel posts count toward Discord's 50 requests a second: 40 at a time, a second apart.
    posted: list[StoredMessage] = []
    for start in range(0, len(servers), 40):
        if start:
            await asyncio.sleep(1.0)
        posted += await asyncio.gather(*(post(s) for s in servers[start:start + 40]))
    return posted


async def run_baseline(load: Load) -> BotRun:
    figures = LoadFigures()
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.servers, load.players)
        async with baseline_bot(fake) as bot:
            for number in range(1, load.questions + 1):
                messages = await post_like_questions(bot, fake, servers, number)
                figures.waves.append(await run_wave(fake, click_plan(fake, servers, messages, number, load.spread)))
                await asyncio.sleep(1.0)  # the quiz bot closes and reveals here; keep the rhythm
        rejections, rate_limited = len(fake.rejections), len(fake.rate_limited)
    other = sum(1 for s in figures.samples if s.acked is not None and s.reply != "OK.")
    return BotRun(figures, rejections, other, rate_limited)


# -- the report -------------------------------------------------------------------------------


def combine(runs: list[BotRun]) -> BotRun:
    return BotRun(
        LoadFigures([w for r in runs for w in r.load.waves]),
        sum(r.rejections for r in runs),
        sum(r.other_replies for r in runs),
        sum(r.rate_limited for r in runs),
    )


async def measure(load: Load) -> Section:
    started = time.perf_counter()
    baselines, ours_runs = [], []
    for _ in range(load.repeats):
        baselines.append(await run_baseline(load))
        ours_runs.append(await run_quiz_bot(load))
    baseline, ours = combine(baselines), combine(ours_runs)
    capacity: list[tuple[LoadFigures, LoadFigures]] = []
    for _ in range(load.capacity_repeats):
        base_capacity = await capacity_baseline(load)
        capacity.append((await capacity_quiz_bot(load), base_capacity))
    section = report(load, ours, baseline, capacity)
    section.seconds = time.perf_counter() - started
    return section


def report(load: Load, ours: BotRun, base: BotRun, capacity: list[tuple[LoadFigures, LoadFigures]]) -> Section:
    o, b = ours.load, base.load
    section = Section(
        title="1–2. Answer clicks under load, against the baseline bot",
        setup=(
            f"{load.servers} rounds running at once in {load.servers} channels (one per server), "
            f"{load.players} players each answering every one of {load.questions} questions; each question's "
            f"clicks are spread at random over {load.spread:g} s, so about {load.offered:,.0f} clicks/s are "
            f"offered ({o.sent // load.repeats:,} clicks a run). Runs alternate baseline / quiz bot, "
            f"{load.repeats}× each, a fresh fake each time; the figures are over all runs. Real rounds: "
            f"`/quiz start questions:{load.questions} "
            f"seconds:{load.seconds}`, questions posted and closed by the real runner on a wall-speed clock. "
            "The baseline (`bench/baseline_bot.py`) gets the same clicks at the same moments on messages "
            "shaped like the questions. Latency is measured at the fake, from dispatching "
            "INTERACTION_CREATE to accepting the initial callback."
        ),
        columns=["figure", "quiz bot", "baseline", "quiz bot / baseline", "target", "verdict"],
    )
    section.add("clicks offered per second", f"{o.offered_rate:,.0f}", f"{b.offered_rate:,.0f}", "",
                f"≈ {load.offered:,.0f}", "")
    rate_ratio = o.handled_rate / b.handled_rate
    section.add("clicks handled per second", f"{o.handled_rate:,.0f}", f"{b.handled_rate:,.0f}",
                ratio(o.handled_rate, b.handled_rate), f"≥ {RATE_TARGET:.2f}× baseline",
                verdict(rate_ratio >= RATE_TARGET))
    section.add("acknowledgement latency p50", ms(o.latency(0.5)), ms(b.latency(0.5)),
                ratio(o.latency(0.5), b.latency(0.5)), "", "")
    section.add("acknowledgement latency p99", ms(o.latency(0.99)), ms(b.latency(0.99)),
                ratio(o.latency(0.99), b.latency(0.99)), f"< {P99_TARGET * 1000:.0f} ms",
                verdict(o.latency(0.99) < P99_TARGET))
    section.add("acknowledgement latency max", ms(o.worst), ms(b.worst), ratio(o.worst, b.worst),
                f"< {DEADLINE:.0f} s", verdict(o.worst < DEADLINE))
    section.add("clicks unanswered / refused by the fake", f"{o.unanswered} / {ours.rejections}",
                f"{b.unanswered} / {base.rejections}", "", "0 / 0",
                verdict(o.unanswered == 0 and ours.rejections == 0))
    section.add("429 responses (Discord's rate limits, enforced by the fake)", str(ours.rate_limited),
                str(base.rate_limited), "", "0", verdict(ours.rate_limited == 0))
    section.add("generator lateness p99 (dispatch vs schedule)", ms(o.dispatch_lag(0.99)),
                ms(b.dispatch_lag(0.99)), "", "", "")
    cpu_o, cpu_b = o.cpu_per_interaction, b.cpu_per_interaction
    section.add("CPU per click (whole process)", f"{cpu_o * 1e6:,.0f} µs", f"{cpu_b * 1e6:,.0f} µs",
                ratio(cpu_o, cpu_b), "", "")
    ours_rates = [o_.handled_rate for o_, _ in capacity]
    base_rates = [b_.handled_rate for _, b_ in capacity]
    cap_ratio = statistics.median(o_ / b_ for o_, b_ in zip(ours_rates, base_rates, strict=True))
    section.add(f"capacity: clicks/s, batches of {load.servers} (median of {len(capacity)} runs)",
                f"{statistics.median(ours_rates):,.0f}", f"{statistics.median(base_rates):,.0f}",
                f"{cap_ratio:.2f}×", f"≥ {RATE_TARGET:.2f}× baseline", verdict(cap_ratio >= RATE_TARGET))
    section.add("capacity: CPU per click (median)",
                f"{statistics.median(o_.cpu_per_interaction for o_, _ in capacity) * 1e6:,.0f} µs",
                f"{statistics.median(b_.cpu_per_interaction for _, b_ in capacity) * 1e6:,.0f} µs", "", "", "")
    if max(o.dispatch_lag(0.99), b.dispatch_lag(0.99)) > 0.1:
        section.notes.append(
            f"At this load neither bot keeps up here: the whole process (fake, load generator and bot on "
            f"one core) took at most {max(o.handled_rate, b.handled_rate):,.0f} clicks/s, so the generator "
            "fell behind its schedule (the lateness row) and clicks waited before the fake dispatched them. "
            "The latency measured at the fake does not include that wait; a player would see both."
        )
    section.notes += [
        "Clicks handled per second: acknowledged clicks divided by the time from each question's first "
        "dispatch to its last acknowledgement. When a bot keeps up this equals the offered rate, so the "
        "ratio at this load mostly says whether a bot fell behind; the capacity rows (and CPU per "
        "click) show what each costs. Capacity: every player of every round clicks in turn, one click per "
        f"channel at a time, the next batch as soon as the last is answered; {load.capacity_repeats} fresh "
        "runs of each bot, alternating, the ratio being the median of the runs' ratios. Each capacity "
        f"run is {load.servers * load.players:,} clicks.",
        "The fake Discord, the load generator and the bot share one process and one event loop, as in "
        "the end-to-end tests, so every figure includes the fake's own work (payloads, gateway, REST) — "
        "the same for both bots. On a real deployment that work happens at Discord, not on this machine.",
        "CPU per click is the process's CPU time during the waves divided by the clicks; for the quiz "
        "bot it includes everything the rounds do meanwhile (live answer counts, closing questions).",
        f"Answers not \"Locked in\" (quiz bot) / not the fixed reply (baseline): {ours.other_replies} / "
        f"{base.other_replies}.",
    ]
    return section


def main() -> int:
    return load_benchmark_main(__doc__, measure, FULL, QUICK, "20 rounds, one question")


if __name__ == "__main__":
    raise SystemExit(main())
