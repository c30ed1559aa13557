"""Rendering reads only core types: bot/ui imports nothing from storage, the cogs or the client."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.ui

FORBIDDEN = ("bot.storage", "bot.client", "cogs")


def test_the_ui_imports_no_storage_cog_or_client() -> None:
    for path in sorted(Path(bot.ui.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), (path.name, name)
