"""Open Trivia Database responses: the conversion (pure) and `python -m bot import-content opentdb`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot.content import ContentStore, check_content, load_packs
from bot.content.opentdb import CREDIT, convert_opentdb, decode, detect_encoding, topics_for
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT, EXIT_OK

# The same five results as the API returns them in each of its encodings (written by hand in the
# default one, with the entities opentdb.com uses; the others encoded from those texts).
SAMPLES = Path(__file__).parent / "opentdb"
ENCODED = {"html": "default.json", "url3986": "url3986.json", "urlLegacy": "urlLegacy.json", "base64": "base64.json"}
# What every one of them reads as: (topics, prompt, answer, wrong, difficulty).
EXPECTED = [
    (("video-games", "entertainment"), "In \"The Legend of Zelda\", what is the name of Link's horse?", "Epona",
     ("Roach", "Agro", "Shadowfax"), "medium"),
    (("science-nature",), "π doesn't equal 3.14 exactly & never will.", "True", ("False",), "easy"),
    (("geography",), "Which city is the capital of Burkina Faso?", "Ouagadougou", ("Bamako", "Niamey", "Lomé"),
     "hard"),
    (("japanese-anime-manga", "entertainment"), 'Which studio made "Spirited Away"?', "Studio Ghibli",
     ("Toei Animation", "Madhouse", "Sunrise"), "easy"),
    (("mathematics", "science"), "What is 2 + 2 × 3?", "8", ("12", "10", "6"), "medium"),
]


def _result(**fields: object) -> dict[str, object]:
    """One result in the default encoding, with `fields` changed (None: left out)."""
    result: dict[str, object] = {
        "type": "multiple",
        "difficulty": "easy",
        "category": "History",
        "question": "Which year did the Western Roman Empire fall?",
        "correct_answer": "476",
        "incorrect_answers": ["410", "1453", "395"],
    }
    result.update(fields)
    return {key: value for key, value in result.items() if value is not None}


def _problems(data: object, encoding: str | None = None) -> list[str]:
    conversion = convert_opentdb(data, Path("quiz.json"), encoding=encoding)
    return [str(issue) for issue in conversion.problems]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ENCODED.values():
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    return tmp_path


@pytest.mark.parametrize("encoding", ENCODED)
def test_every_encoding_gives_a_pack_the_loader_takes(here: Path, encoding: str, capsys) -> None:
    source = ENCODED[encoding]
    assert entry.main(["import-content", "opentdb", source, "--out", "pack.toml"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"{encoding} encoding (detected; --encoding to choose)" in out and "wrote pack.toml: 5 questions" in out
    text = (here / "pack.toml").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text.splitlines()[1] and "https://opentdb.com/" in text.splitlines()[0]
    assert not load_packs(here / "pack.toml").issues
    assert check_content(here / "pack.toml", io.StringIO(), strict=True), "lint-clean too"
    content = ContentStore.load(here / "pack.toml")
    (pack,) = content.packs
    assert pack.id == Path(source).stem.lower() and "CC BY-SA 4.0" in (pack.description or "")
    questions = pack.questions
    assert [(q.topics, q.prompt, q.answer, q.wrong, q.difficulty) for q in questions] == EXPECTED
    assert [q.is_true_false for q in questions] == [False, True, False, False, False]
    assert not any(q.typed_play for q in questions), "picked among options, not typed"
    assert all(q.fact_id is None and q.explanation == CREDIT for q in questions)


@pytest.mark.parametrize("encoding", ENCODED)
def test_the_encoding_can_be_given(encoding: str) -> None:
    data = json.loads((SAMPLES / ENCODED[encoding]).read_text(encoding="utf-8"))
    conversion = convert_opentdb(data, Path("x.json"), encoding=encoding)
    assert not conversion.problems and not conversion.detected and conversion.question_count == 5
    assert detect_encoding(data["results"]) == encoding


def test_the_apis_own_example_sentence_decodes_in_every_encoding() -> None:
    # From https://opentdb.com/api_config.php: one sentence in each encoding.
    sentence = "Don't forget that π = 3.14 & doesn't equal 3."
    assert decode("Don&#039;t forget that &pi; = 3.14 &amp; doesn&#039;t equal 3.", "html") == sentence
    assert decode("Don%27t%20forget%20that%20%CF%80%20%3D%203.14%20%26%20doesn%27t%20equal%203.", "url3986") == sentence
    assert decode("Don%27t+forget+that+%CF%80+%3D+3.14+%26+doesn%27t+equal+3.", "urlLegacy") == sentence
    assert decode("RG9uJ3QgZm9yZ2V0IHRoYXQgz4AgPSAzLjE0ICYgZG9lc24ndCBlcXVhbCAzLg==", "base64") == sentence


def test_a_file_that_says_nothing_reads_as_the_default() -> None:
    assert detect_encoding([]) == "html"
    assert detect_encoding([_result(question="Supercalifragilistic")]) == "html"  # the same in html and url3986


@pytest.mark.parametrize(("category", "topics"), [
    ("Entertainment: Video Games", ["video-games", "entertainment"]),
    ("Science & Nature", ["science-nature"]),
    ("Entertainment: Cartoon & Animations", ["cartoon-animations", "entertainment"]),
    ("Science: Science", ["science"]),
    ("A: " + "long " * 10, ["long-long-long-long-long-long", "a"]),
    ("!!!", []),
])
def test_a_category_gives_its_subject_and_group_as_topics(category: str, topics: list[str]) -> None:
    assert topics_for(category) == topics


def test_every_problem_is_named_by_result_and_field_at_once() -> None:
    data = {
        "response_code": 0,
        "results": [
            _result(incorrect_answers=["410", " 476 ", "395"]),
            _result(question=42, correct_answer=None, incorrect_answers="410", difficulty="extreme"),
            _result(type="boolean", correct_answer="Yes", incorrect_answers=["No"]),
            "a question?",
            _result(type="quiz", category="???"),
            _result(incorrect_answers=["410", "1453", "395", "1066"]),
            _result(question="Why " + "so " * 150 + "long?"),
            _result(type="boolean", correct_answer="True", incorrect_answers=["False"], question="Rome fell."),
        ],
    }
    assert _problems(data) == [
        "quiz.json: result 1: field 'incorrect_answers': repeats the answer '476'",
        "quiz.json: result 2: field 'question': must be a string, not a number",
        "quiz.json: result 2: field 'correct_answer': missing required field",
        "quiz.json: result 2: field 'incorrect_answers': must be an array of strings, not a string",
        "quiz.json: result 2: field 'difficulty': 'extreme' is not one of 'easy', 'medium', 'hard'",
        "quiz.json: result 3: field 'correct_answer': a boolean result's answers are 'True' and 'False': "
        "got 'Yes' and incorrect_answers ['No']",
        "quiz.json: result 4: must be an object with the fields type, difficulty, category, question, "
        "correct_answer, incorrect_answers, not a string",
        "quiz.json: result 5: field 'type': 'quiz' is not one of 'multiple', 'boolean'",
        "quiz.json: result 5: field 'category': '???' gives no topic: it needs a letter or digit (a-z, 0-9)",
        "quiz.json: result 6: field 'incorrect_answers': needs 1 to 3 wrong options, got 4",
        "quiz.json: result 7: field 'question': is 459 characters long, the limit is 300",
    ]
    conversion = convert_opentdb(data, Path("quiz.json"))
    assert [q["id"] for q in conversion.document["questions"]] == ["quiz-8"], "only the sound result converts"


@pytest.mark.parametrize(("data", "problem"), [
    ({"response_code": 0, "results": []}, "response: field 'results': is empty: there are no questions to import"),
    ({"response_code": 5, "results": [_result()]}, "response: field 'response_code': is 5 (rate limit: too many "
     "requests (one every 5 seconds per address)): the request failed, so there is nothing to import"),
    ({"response_code": "0", "results": [_result()]}, "response: field 'response_code': must be an integer, "
     "not a string"),
    ({"results": [_result()]}, "response: field 'response_code': missing required field"),
    ({"response_code": 0}, "response: field 'results': missing required field"),
    ({"response_code": 0, "results": {"0": _result()}}, "response: field 'results': must be an array, not an object"),
    ("[]", "file: must be an Open Trivia Database API response: an object with `response_code` and `results`, "
     "not a string"),
])
def test_a_response_without_questions_is_one_problem(data: object, problem: str) -> None:
    assert _problems(data) == [f"quiz.json: {problem}"]


def test_a_bare_results_list_is_read_as_the_response_results() -> None:
    conversion = convert_opentdb([_result()], Path("quiz.json"))
    assert not conversion.problems and conversion.question_count == 1


def test_badly_encoded_fields_are_named() -> None:
    base64_result = _result(type="bXVsdGlwbGU=", difficulty="ZWFzeQ==", category="SGlzdG9yeQ", question="//79",
                            correct_answer="NDc2", incorrect_answers=["NDEw", 3, "MTQ1Mw==", "Mzk1"])
    assert _problems({"response_code": 0, "results": [base64_result]}) == [
        "quiz.json: result 1: field 'category': is not valid base64 (Incorrect padding)",
        "quiz.json: result 1: field 'question': is base64 but not of UTF-8 text",
        "quiz.json: result 1: field 'incorrect_answers': answer 2 must be a string, not a number",
    ]
    url_result = _result(category="History", question="Who%20is%20%ZZ%3F", correct_answer="A%FF",
                         incorrect_answers=["B C"])
    assert _problems({"response_code": 0, "results": [url_result]}, encoding="url3986") == [
        "quiz.json: result 1: field 'question': is not valid url3986: '%ZZ' is not '%' and two hex digits",
        "quiz.json: result 1: field 'correct_answer': is url3986 but not of UTF-8 text",
        "quiz.json: result 1: field 'incorrect_answers': answer 1 is not valid url3986: it has ' ', "
        "which url3986 percent-encodes",
    ]


def test_a_result_in_another_encoding_than_the_rest_is_named() -> None:
    data = json.loads((SAMPLES / "base64.json").read_text(encoding="utf-8"))
    data["results"][2] = _result()
    assert _problems(data) == [
        "quiz.json: result 3: reads as html, but the file reads as base64 (told from most results): "
        "a response has one encoding for all its results; --encoding to choose"
    ]


def test_the_command_never_overwrites_and_writes_nothing_from_a_broken_file(here: Path, capsys) -> None:
    (here / "mine.toml").write_text("mine", encoding="utf-8")
    assert entry.main(["import-content", "opentdb", "default.json", "-o", "mine.toml"]) == EXIT_CONFIG
    assert "mine.toml already exists" in capsys.readouterr().out
    assert (here / "mine.toml").read_text(encoding="utf-8") == "mine"

    (here / "broken.json").write_text('{"response_code": 0, "results": [', encoding="utf-8")
    assert entry.main(["import-content", "opentdb", "broken.json"]) == EXIT_CONTENT
    assert "broken.json: not valid JSON (line 1, column 34)" in capsys.readouterr().out
    (here / "bad.json").write_text(json.dumps({"response_code": 1, "results": []}), encoding="utf-8")
    assert entry.main(["import-content", "opentdb", "bad.json"]) == EXIT_CONTENT
    out = capsys.readouterr().out
    assert "bad.json: response: field 'response_code': is 1 (no results" in out
    assert "2 problems in bad.json; no pack written" in out
    assert entry.main(["import-content", "opentdb", "missing.json"]) == EXIT_CONFIG
    assert "missing.json: cannot read it" in capsys.readouterr().out
    assert sorted(p.name for p in here.glob("*.toml")) == ["mine.toml"]


def test_the_command_line_takes_only_its_formats_options(here: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["import-content", "opentdb", "default.json", "--difficulty", "easy"])
    assert exit_info.value.code == EXIT_CONFIG
    assert "import-content opentdb takes no --difficulty" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        entry.main(["import-content", "red-trivia", "list.yaml", "--encoding", "base64"])
    assert "import-content red-trivia takes no --encoding" in capsys.readouterr().err


def test_the_module_runs_the_import_as_a_process(here: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import-content", "opentdb", "base64.json", "--out", "Quiz Night.toml"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert "OK: 1 pack, 0 facts (0 contested), 5 questions" in done.stdout
    assert ContentStore.load(here / "Quiz Night.toml").counts.questions == 5
    again = subprocess.run(
        [sys.executable, "-m", "bot", "import-content", "opentdb", "base64.json", "--out", "Quiz Night.toml"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert again.returncode == EXIT_CONFIG and "already exists" in again.stdout
