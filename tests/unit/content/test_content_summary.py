"""`check-content`: a summary when content is sound, every problem otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.content import check_content, load_packs

from .packs import valid_pack, write_packs


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # so paths show as 'seeds/...'


def test_summary_of_sound_content(tmp_path: Path) -> None:
    folder = write_packs(tmp_path / "seeds", {"casino-night.toml": valid_pack()})
    out = io.StringIO()

    assert check_content(folder, out) is True
    assert out.getvalue().splitlines() == [
        "seeds/casino-night.toml: pack 'casino-night': Casino Night: the first kiss",
        "  2 facts, 1 contested, from 2 sources",
        "  2 questions: 1 multiple choice, 1 true/false, 0 typed only; 1 fit for typed play",
        "  2 topics: cast, filming",
        "OK: 1 pack, 2 facts (1 contested), 2 questions, 2 topics",
    ]


def test_every_problem_is_printed_with_a_count(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][0]["text"] = ""
    doc["questions"][0]["wrong"] = ["The kiss"]
    folder = write_packs(tmp_path / "seeds", {"casino-night.toml": doc})
    out = io.StringIO()

    assert check_content(folder, out) is False
    issues = [str(issue) for issue in load_packs(folder).issues]
    assert len(issues) == 2
    assert out.getvalue().splitlines() == [*issues, "2 problems in seeds"]


def test_an_empty_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    out = io.StringIO()
    assert check_content(tmp_path / "seeds", out) is False
    assert out.getvalue().splitlines() == [
        "seeds: folder: no content packs (*.toml files) in this folder",
        "1 problem in seeds",
    ]
