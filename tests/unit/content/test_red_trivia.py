"""Red-DiscordBot trivia lists: the conversion (pure) and `python -m bot import-content red-trivia`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot.content import ContentStore
from bot.content.red_trivia import RedTriviaError, convert_red_trivia, pack_id_for
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT, EXIT_OK
from bot.quiz import Difficulty, plan_round, question_pool
from bot.quiz.matching import is_right

RED_LIST = """\
AUTHOR: Jane Doe
CONFIG:
  max_score: 5
  delay: 20
What is the name of the paper company in The Office?:
- Dunder Mifflin
- Dunder-Mifflin Paper Company
- dunder mifflin
In what year did The Office premiere?:
- 2005
Is Dwight a beet farmer?:
- yes
What city is the Scranton branch in?: Scranton
A question nobody answered?:
"""


def test_questions_become_typed_only_questions_with_their_answers_as_aliases() -> None:
    import yaml

    conversion = convert_red_trivia(yaml.safe_load(RED_LIST), "Office Trivia", difficulty="easy")
    doc = conversion.document
    assert doc["pack"]["id"] == "office-trivia"
    first, year, yes, city = doc["questions"]
    assert first == {
        "id": "office-trivia-1",
        "topics": ["office-trivia"],
        "prompt": "What is the name of the paper company in The Office?",
        "answer": "Dunder Mifflin",
        "explanation": "From the Red-DiscordBot trivia list “Office Trivia” by Jane Doe.",
        "difficulty": "easy",
        "accept": ["Dunder-Mifflin Paper Company"],  # the repeat (ignoring case) dropped
    }
    assert "wrong" not in first and "fact" not in first
    assert year["answer"] == "2005"  # YAML's integer, as written
    assert (yes["answer"], yes["accept"]) == ("True", ["Yes", "On"])  # YAML's boolean, read as Red reads it
    assert city["answer"] == "Scranton" and "accept" not in city  # one answer, not in a list
    assert conversion.left_out == ["'A question nobody answered?': it has no answer"]


def test_what_does_not_fit_a_pack_is_left_out_with_the_reason() -> None:
    long_prompt = "Why " + "very " * 80 + "long?"
    data = {long_prompt: ["x"], "Too long an answer?": ["a" * 81], "Many answers?": [f"answer {n}" for n in range(14)]}
    conversion = convert_red_trivia(data, "list")
    assert [q["prompt"] for q in conversion.document["questions"]] == ["Many answers?"]
    assert len(conversion.document["questions"][0]["accept"]) == 10
    reasons = "\n".join(conversion.left_out)
    assert "characters long, packs allow 300" in reasons and "every answer is longer than 80" in reasons
    assert "kept the first 11 of its 14 answers" in reasons


def test_a_file_that_is_not_a_mapping_is_not_a_list() -> None:
    with pytest.raises(RedTriviaError, match="mapping of questions"):
        convert_red_trivia(["a", "b"], "list")


@pytest.mark.parametrize(("name", "pack_id"), [("Office Trivia", "office-trivia"), ("  ***  ", "red-trivia"),
                                               ("x" * 50, "x" * 40), ("Café_2", "caf-2")])
def test_pack_ids_are_slugs_of_the_file_name(name: str, pack_id: str) -> None:
    assert pack_id_for(name) == pack_id


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Office Trivia.yaml").write_text(RED_LIST, encoding="utf-8")
    return tmp_path


def test_the_command_writes_a_pack_the_bot_loads_and_plays_typed(here: Path, capsys) -> None:
    assert entry.main(["import-content", "red-trivia", "Office Trivia.yaml"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "wrote office-trivia.toml: 4 questions" in out and "left out: Office Trivia.yaml" in out
    assert "OK: 1 pack" in out
    assert "GPL-3.0" in (here / "office-trivia.toml").read_text(encoding="utf-8")
    content = ContentStore.load(here / "office-trivia.toml")
    assert content.topics() == ("office-trivia",) and content.fact_topics() == ()
    assert question_pool(content, "office-trivia", Difficulty.MIXED) == (), "never on buttons: no wrong options"
    plan = plan_round(content, "office-trivia", set(), 4, random.Random(1), typed=True)
    by_id = {q.question_id: q for q in plan.questions}
    assert is_right("dunder mifflin paper co", by_id["office-trivia-1"].accepted) is False
    assert is_right("Dunder-Mifflin paper company", by_id["office-trivia-1"].accepted)
    assert is_right("yes", by_id["office-trivia-3"].accepted)


def test_the_command_never_overwrites_and_names_what_is_wrong(here: Path, capsys) -> None:
    (here / "office-trivia.toml").write_text("mine", encoding="utf-8")
    assert entry.main(["import-content", "red-trivia", "Office Trivia.yaml"]) == EXIT_CONFIG
    assert "office-trivia.toml already exists" in capsys.readouterr().out
    assert (here / "office-trivia.toml").read_text(encoding="utf-8") == "mine"

    (here / "broken.yaml").write_text("Question?: [unclosed\n", encoding="utf-8")
    assert entry.main(["import-content", "red-trivia", "broken.yaml"]) == EXIT_CONTENT
    assert "broken.yaml: not valid YAML (line 2)" in capsys.readouterr().out
    (here / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert entry.main(["import-content", "red-trivia", "list.yaml", "-o", "out.toml"]) == EXIT_CONTENT
    assert "list.yaml: a Red trivia list is a mapping" in capsys.readouterr().out
    assert entry.main(["import-content", "red-trivia", "missing.yaml"]) == EXIT_CONFIG
    assert "missing.yaml: cannot read it" in capsys.readouterr().out
    assert not (here / "out.toml").exists()
