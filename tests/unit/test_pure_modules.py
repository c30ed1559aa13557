"""The pure core stays pure: these modules load without discord (or any I/O library)."""

import subprocess
import sys

import pytest

PURE = [
    "bot.quiz",
    "bot.content",
    "bot.facts.deck",
    "bot.facts.cooldown",
    "bot.facts.daily",
    "bot.guild_settings",
    "bot.periods",
    "bot.budget",
    "bot.quiz.lag",
    "bot.reports",
    "bot.command_options",
    "bot.notices",
    "bot.clock",
    "bot.backoff",
    "bot.topics",
    "bot.user_errors",
    "bot.waiting",
    "bot.packs.limits",
    "bot.packs.template",
    "bot.packs.upload",
    "bot.packs.view",
]


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_discord(module: str) -> None:
    io_libraries = "('discord', 'aiosqlite', 'aiohttp')"
    probe = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in {io_libraries}))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]", f"{module} pulls in {result.stdout.strip()}"
