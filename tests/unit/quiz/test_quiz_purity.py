"""The engine stays pure: no Discord, no clock, no event loop, no storage or rendering.

It may read the content model (itself pure data), since planning a round starts from its questions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bot.quiz

FORBIDDEN = {"discord", "time", "datetime", "asyncio", "bot.storage", "bot.ui", "bot.facts", "bot.client"}


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_quiz_engine_imports_nothing_impure() -> None:
    package_dir = Path(bot.quiz.__file__).parent
    for path in sorted(package_dir.glob("*.py")):
        for module in imported_modules(path):
            assert not any(module == f or module.startswith(f + ".") for f in FORBIDDEN), (path.name, module)


def test_the_public_api_is_exported() -> None:
    assert all(hasattr(bot.quiz, name) for name in bot.quiz.__all__)
