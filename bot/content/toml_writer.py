"""Write a pack document (tables of strings, booleans and arrays of strings) as TOML text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["pack_toml"]


def _value(value: object) -> str:
    # JSON strings (escapes included), booleans, numbers and arrays of them are valid TOML values.
    return json.dumps(value, ensure_ascii=False)


def pack_toml(document: Mapping[str, Any], header: str = "") -> str:
    """The document as TOML: a dict as a [table], a list of dicts as [[tables]], in order."""
    lines = [f"# {line}" for line in header.splitlines()]
    for name, value in document.items():
        tables = [value] if isinstance(value, dict) else value
        for table in tables:
            lines += ["", f"[{name}]" if isinstance(value, dict) else f"[[{name}]]"]
            lines += [f"{key} = {_value(item)}" for key, item in table.items()]
    return "\n".join(lines).lstrip("\n") + "\n"
