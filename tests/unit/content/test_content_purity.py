"""bot.content is pure logic: no Discord, no other bot packages, and a complete public API."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.content

FORBIDDEN = ("discord", "aiosqlite", "asyncio", "bot")  # "bot": no other bot package either


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a source file imports (relative imports stay inside the package)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_content_imports_no_discord_and_no_other_bot_package() -> None:
    package_dir = Path(bot.content.__file__).parent
    for path in sorted(package_dir.glob("*.py")):
        for module in imported_modules(path):
            assert not any(module == f or module.startswith(f + ".") for f in FORBIDDEN), (path.name, module)


def test_the_public_api_is_exported() -> None:
    assert all(hasattr(bot.content, name) for name in bot.content.__all__)
