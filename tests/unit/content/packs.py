"""Helpers for content tests: a valid pack to break, and writing packs as TOML files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

_VALID_PACK: Doc = {
    "pack": {
        "id": "casino-night",
        "title": "Casino Night: the first kiss",
        "description": "What happened behind the scenes of Jim and Pam's first kiss.",
    },
    "sources": [
        {"file": "000_a.txt", "headline": "Jim & Pam's first kiss was even more intense behind the scenes"},
        {"file": "001_b.txt", "headline": "The Office's Casino Night, remembered"},
    ],
    "facts": [
        {
            "id": "kiss-filmed-first",
            "text": "The kiss was filmed before the parking-lot confession that leads up to it.",
            "topics": ["filming"],
            "sources": ["000_a.txt"],
        },
        {
            "id": "kiss-take-count",
            "text": "The kiss needed several takes.",
            "topics": ["filming", "cast"],
            "sources": ["000_a.txt", "001_b.txt"],
            "contested": "Article 000 says one take; article 001 says three.",
        },
    ],
    "questions": [
        {
            "id": "q-kiss-filmed-first",
            "fact": "kiss-filmed-first",
            "prompt": "Which was filmed first?",
            "answer": "The kiss",
            "wrong": ["The confession", "Both at once", "Neither of them"],
            "explanation": "The kiss was shot first, so the confession was played knowing what came next.",
            "difficulty": "easy",
        },
        {
            "id": "q-takes-agree",
            "fact": "kiss-take-count",
            "prompt": "True or false: the articles agree on how many takes the kiss needed.",
            "answer": "False",
            "wrong": ["True"],
            "explanation": "One article says a single take, the other says three.",
            "difficulty": "medium",
            "about_dispute": True,
        },
    ],
}


def valid_pack() -> Doc:
    """A fresh copy of a small valid pack (two facts, one contested; two questions, one true/false).

    It has no lint warning either, so a test can break it in one way and see one warning.
    """
    return copy.deepcopy(_VALID_PACK)


def _value(value: object) -> str:
    # JSON strings, numbers, booleans and arrays of them are valid TOML inline values.
    return json.dumps(value, ensure_ascii=False)


def to_toml(doc: Doc) -> str:
    """Write a pack document as TOML: dicts as [tables], lists of dicts as [[arrays of tables]]."""
    lines: list[str] = []
    for name, value in doc.items():
        tables = [value] if isinstance(value, dict) else value
        header = f"[{name}]" if isinstance(value, dict) else f"[[{name}]]"
        for table in tables:
            lines.append(header)
            lines += [f"{key} = {_value(item)}" for key, item in table.items()]
            lines.append("")
    return "\n".join(lines)


def write_packs(folder: Path, files: dict[str, Doc | str | bytes]) -> Path:
    """Write each file (a document, TOML text or raw bytes) into `folder`; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else to_toml(content), encoding="utf-8")
    return folder
