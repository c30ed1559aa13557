"""Every validation rule: a minimal broken pack and the exact message it must produce."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.content import ContentStore, load_packs

from .packs import Doc, to_toml, valid_pack, write_packs

MAIN = "casino-night.toml"
OTHER = "more.toml"  # sorts after MAIN, so it loads second
P = f"seeds/{MAIN}"
Q = f"seeds/{OTHER}"

Files = dict[str, Doc | str | bytes]
Change = Callable[[Files], None]
DROP = object()  # as a field value in edit(): remove the field


def edit(section: str, index: int | None = None, **fields: Any) -> Change:
    """Set (or DROP) fields of one table of the main pack: [pack], or entry `index` of a section."""

    def change(files: Files) -> None:
        doc = files[MAIN]
        assert isinstance(doc, dict)
        table = doc[section] if index is None else doc[section][index]
        for key, value in fields.items():
            if value is DROP:
                del table[key]
            else:
                table[key] = value

    return change


def append(section: str, index: int, **fields: Any) -> Change:
    """Add a copy of entry `index` of a section of the main pack, with some fields changed."""

    def change(files: Files) -> None:
        doc = files[MAIN]
        assert isinstance(doc, dict)
        doc[section].append({**doc[section][index], **fields})

    return change


def replace_main(content: str | bytes) -> Change:
    """Replace the main pack file's content with raw TOML text or bytes."""

    def change(files: Files) -> None:
        files[MAIN] = content

    return change


def other_pack(change: Callable[[Doc], None]) -> Change:
    """Add a second, valid pack (ids renamed to avoid clashes), then let `change` edit it."""

    def add(files: Files) -> None:
        doc = valid_pack()
        doc["pack"]["id"] = "more"
        doc["facts"] = doc["facts"][:1]
        doc["facts"][0]["id"] = "more-fact"
        doc["questions"] = doc["questions"][:1]
        doc["questions"][0].update(id="q-more", fact="more-fact")
        change(doc)
        files[OTHER] = doc

    return add


def drop_sections(*names: str) -> Change:
    """Remove whole tables ([pack], [[facts]], ...) from the main pack."""

    def change(files: Files) -> None:
        doc = files[MAIN]
        assert isinstance(doc, dict)
        for name in names:
            del doc[name]

    return change


def facts_as_plain_table(files: Files) -> None:
    """Write one fact as a [facts] table instead of an array of [[facts]]."""
    doc = files[MAIN]
    assert isinstance(doc, dict)
    del doc["questions"]
    doc["facts"] = doc["facts"][0]


def rename_section(old: str, new: str) -> Change:
    """Rename a whole table of the main pack, as a typo in its header would."""

    def change(files: Files) -> None:
        doc = files[MAIN]
        assert isinstance(doc, dict)
        doc[new] = doc.pop(old)

    return change


LONG = "x" * 1001
SLUG_HINT = "is not a valid slug (lowercase letters, digits and '-' only)"

RULES = [
    # --- the file itself
    pytest.param(
        replace_main('[pack]\nid = "casino-night"\ntitle = \n'),
        [f"{P}: file: invalid TOML: Invalid value (at line 3, column 9)"],
        id="toml-syntax-error",
    ),
    pytest.param(
        replace_main('[pack]\nid = "casino-night"\nid = "again"\n'),
        [f"{P}: file: invalid TOML: Cannot overwrite a value (at line 3, column 13)"],
        id="toml-duplicate-key",
    ),
    pytest.param(
        replace_main(b'[pack]\nid = "caf\xe9"\n'),
        [f"{P}: file: is not UTF-8 text (invalid byte on line 2)"],
        id="not-utf8",
    ),
    pytest.param(
        drop_sections("pack"),
        [f"{P}: file: field 'pack': missing required table [pack]"],
        id="missing-pack-table",
    ),
    pytest.param(
        rename_section("facts", "fact"),
        [
            f"{P}: file: field 'fact': unknown table (did you mean 'facts'?)",
            f"{P}: question q-kiss-filmed-first: field 'fact': no fact 'kiss-filmed-first' in any loaded pack",
            f"{P}: question q-takes-agree: field 'fact': no fact 'kiss-take-count' in any loaded pack",
        ],
        id="unknown-top-level-table",
    ),
    pytest.param(
        facts_as_plain_table,
        [f"{P}: file: field 'facts': must be an array of tables [[facts]], not a table"],
        id="facts-not-an-array-of-tables",
    ),
    # --- missing required fields
    pytest.param(
        edit("pack", None, title=DROP),
        [f"{P}: pack: field 'title': missing required field"],
        id="missing-pack-title",
    ),
    pytest.param(
        edit("sources", 0, headline=DROP),
        [f"{P}: source 000_a.txt: field 'headline': missing required field"],
        id="missing-source-headline",
    ),
    pytest.param(
        edit("facts", 0, text=DROP),
        [f"{P}: fact kiss-filmed-first: field 'text': missing required field"],
        id="missing-fact-text",
    ),
    pytest.param(
        edit("facts", 0, id=DROP),
        [
            f"{P}: fact #1: field 'id': missing required field",
            f"{P}: question q-kiss-filmed-first: field 'fact': no fact 'kiss-filmed-first' in any loaded pack",
        ],
        id="missing-fact-id-named-by-position",
    ),
    pytest.param(
        edit("questions", 0, explanation=DROP),
        [f"{P}: question q-kiss-filmed-first: field 'explanation': missing required field"],
        id="missing-question-explanation",
    ),
    # --- wrong types
    pytest.param(
        edit("pack", None, title=5),
        [f"{P}: pack: field 'title': must be a string, not an integer"],
        id="type-pack-title",
    ),
    pytest.param(
        edit("facts", 0, topics="filming"),
        [f"{P}: fact kiss-filmed-first: field 'topics': must be an array of strings, not a string"],
        id="type-fact-topics",
    ),
    pytest.param(
        edit("facts", 0, topics=["filming", 3]),
        [f"{P}: fact kiss-filmed-first: field 'topics': topic 2 must be a string, not an integer"],
        id="type-topic-item",
    ),
    pytest.param(
        edit("questions", 1, about_dispute="yes"),
        [f"{P}: question q-takes-agree: field 'about_dispute': must be true or false, not a string"],
        id="type-about-dispute",
    ),
    pytest.param(
        edit("questions", 0, difficulty=2),
        [f"{P}: question q-kiss-filmed-first: field 'difficulty': must be a string, not an integer"],
        id="type-difficulty",
    ),
    # --- unknown fields (typos), in every table
    pytest.param(
        edit("pack", None, titel="Casino Night"),
        [f"{P}: pack: field 'titel': unknown field (did you mean 'title'?)"],
        id="unknown-pack-field",
    ),
    pytest.param(
        edit("sources", 1, headlne="x"),
        [f"{P}: source 001_b.txt: field 'headlne': unknown field (did you mean 'headline'?)"],
        id="unknown-source-field",
    ),
    pytest.param(
        edit("facts", 0, colour="blue"),
        [
            f"{P}: fact kiss-filmed-first: field 'colour': unknown field "
            "(expected one of: id, text, topics, sources, contested)"
        ],
        id="unknown-fact-field",
    ),
    pytest.param(
        edit("questions", 0, answers="x"),
        [f"{P}: question q-kiss-filmed-first: field 'answers': unknown field (did you mean 'answer'?)"],
        id="unknown-question-field",
    ),
    pytest.param(
        edit("questions", 1, about_dispute=DROP, about_disput=True),
        [
            f"{P}: question q-takes-agree: field 'about_disput': unknown field (did you mean 'about_dispute'?)",
            f"{P}: question q-takes-agree: field 'about_dispute': fact 'kiss-take-count' is contested, "
            "so the question must set about_dispute = true and ask about the disagreement",
        ],
        id="typo-in-optional-field",
    ),
    # --- id and slug format
    pytest.param(
        edit("pack", None, id="Casino Night"),
        [f"{P}: pack: field 'id': 'Casino Night' {SLUG_HINT}"],
        id="pack-id-not-a-slug",
    ),
    pytest.param(
        append("facts", 0, id="Kiss_First"),
        [f"{P}: fact Kiss_First: field 'id': 'Kiss_First' {SLUG_HINT}"],
        id="fact-id-not-a-slug",
    ),
    pytest.param(
        append("questions", 0, id="q kiss"),
        [f"{P}: question q kiss: field 'id': 'q kiss' {SLUG_HINT}"],
        id="question-id-not-a-slug",
    ),
    pytest.param(
        edit("facts", 0, topics=["Filming"]),
        [f"{P}: fact kiss-filmed-first: field 'topics': topic 1 'Filming' {SLUG_HINT}"],
        id="topic-not-a-slug",
    ),
    # --- length limits, empty strings included
    pytest.param(
        edit("pack", None, id="p" * 41),
        [f"{P}: pack: field 'id': is 41 characters long, the limit is 40"],
        id="pack-id-too-long",
    ),
    pytest.param(
        edit("pack", None, title="t" * 101),
        [f"{P}: pack: field 'title': is 101 characters long, the limit is 100"],
        id="pack-title-too-long",
    ),
    pytest.param(
        edit("pack", None, description="d" * 301),
        [f"{P}: pack: field 'description': is 301 characters long, the limit is 300"],
        id="pack-description-too-long",
    ),
    pytest.param(
        edit("pack", None, description=""),
        [f"{P}: pack: field 'description': must not be empty (leave the field out instead)"],
        id="pack-description-empty",
    ),
    pytest.param(
        edit("sources", 1, headline="h" * 201),
        [f"{P}: source 001_b.txt: field 'headline': is 201 characters long, the limit is 200"],
        id="source-headline-too-long",
    ),
    pytest.param(
        edit("sources", 1, headline="   "),
        [f"{P}: source 001_b.txt: field 'headline': must not be empty"],
        id="source-headline-blank",
    ),
    pytest.param(
        edit("facts", 0, text=LONG),
        [f"{P}: fact kiss-filmed-first: field 'text': is 1001 characters long, the limit is 1000"],
        id="fact-text-too-long",
    ),
    pytest.param(
        append("facts", 0, id="f" * 61),
        [f"{P}: fact {'f' * 61}: field 'id': is 61 characters long, the limit is 60"],
        id="fact-id-too-long",
    ),
    pytest.param(
        edit("facts", 0, topics=["a", "b", "c", "d", "e", "f"]),
        [f"{P}: fact kiss-filmed-first: field 'topics': needs 1 to 5 topics, got 6"],
        id="too-many-topics",
    ),
    pytest.param(
        edit("facts", 0, topics=[]),
        [f"{P}: fact kiss-filmed-first: field 'topics': needs 1 to 5 topics, got 0"],
        id="no-topics",
    ),
    pytest.param(
        edit("facts", 0, topics=["t" * 31]),
        [f"{P}: fact kiss-filmed-first: field 'topics': topic 1 is 31 characters long, the limit is 30"],
        id="topic-too-long",
    ),
    pytest.param(
        edit("facts", 0, topics=["filming", "filming"]),
        [f"{P}: fact kiss-filmed-first: field 'topics': repeats the topic 'filming'"],
        id="topic-repeated",
    ),
    pytest.param(
        edit("facts", 1, contested="c" * 501),
        [f"{P}: fact kiss-take-count: field 'contested': is 501 characters long, the limit is 500"],
        id="contested-too-long",
    ),
    pytest.param(
        edit("facts", 1, contested=""),
        [f"{P}: fact kiss-take-count: field 'contested': must not be empty (leave the field out instead)"],
        id="contested-empty",
    ),
    pytest.param(
        edit("questions", 0, prompt="p" * 301),
        [f"{P}: question q-kiss-filmed-first: field 'prompt': is 301 characters long, the limit is 300"],
        id="prompt-too-long",
    ),
    pytest.param(
        edit("questions", 0, explanation=""),
        [f"{P}: question q-kiss-filmed-first: field 'explanation': must not be empty"],
        id="explanation-empty",
    ),
    pytest.param(
        edit("questions", 0, answer="a" * 81),
        [f"{P}: question q-kiss-filmed-first: field 'answer': is 81 characters long, the limit is 80"],
        id="answer-too-long",
    ),
    pytest.param(
        edit("questions", 0, wrong=["w" * 81, "b", "c"]),
        [
            f"{P}: question q-kiss-filmed-first: field 'wrong': "
            "wrong option 1 is 81 characters long, the limit is 80"
        ],
        id="wrong-option-too-long",
    ),
    # --- duplicate ids within a pack
    pytest.param(
        append("sources", 0),
        [
            f"{P}: source 000_a.txt: field 'file': source '000_a.txt' is already declared in this pack, "
            "by [[sources]] entry 1 on line 6"
        ],
        id="duplicate-source-file",
    ),
    pytest.param(
        append("facts", 0),
        [
            f"{P}: fact kiss-filmed-first: field 'id': fact id 'kiss-filmed-first' is already used in this pack, "
            "by [[facts]] entry 1 on line 14"
        ],
        id="duplicate-fact-id",
    ),
    pytest.param(
        append("questions", 0),
        [
            f"{P}: question q-kiss-filmed-first: field 'id': "
            "question id 'q-kiss-filmed-first' is already used in this pack, by [[questions]] entry 1 on line 27"
        ],
        id="duplicate-question-id",
    ),
    # --- duplicates across packs
    pytest.param(
        other_pack(lambda doc: doc["pack"].update(id="casino-night")),
        [f"{Q}: pack: field 'id': pack id 'casino-night' is already used in {P}"],
        id="duplicate-pack-id-across-packs",
    ),
    pytest.param(
        other_pack(lambda doc: doc["facts"].append({**doc["facts"][0], "id": "kiss-filmed-first"})),
        [
            f"{Q}: fact kiss-filmed-first: field 'id': fact id 'kiss-filmed-first' is already used in {P}, "
            "by [[facts]] entry 1 on line 14"
        ],
        id="duplicate-fact-id-across-packs",
    ),
    pytest.param(
        other_pack(lambda doc: doc["questions"][0].update(id="q-takes-agree")),
        [
            f"{Q}: question q-takes-agree: field 'id': question id 'q-takes-agree' is already used in {P}, "
            "by [[questions]] entry 2 on line 36"
        ],
        id="duplicate-question-id-across-packs",
    ),
    pytest.param(
        other_pack(lambda doc: doc["sources"][0].update(headline="Another headline")),
        [
            f"{Q}: source 000_a.txt: field 'headline': differs from the headline of '000_a.txt' in {P}: "
            "\"Jim & Pam's first kiss was even more intense behind the scenes\""
        ],
        id="source-headline-differs-across-packs",
    ),
    # --- sources of facts
    pytest.param(
        edit("facts", 0, sources=["999_x.txt"]),
        [f"{P}: fact kiss-filmed-first: field 'sources': '999_x.txt' is not a [[sources]] file of this pack"],
        id="fact-cites-undeclared-source",
    ),
    pytest.param(
        edit("facts", 0, sources=[]),
        [f"{P}: fact kiss-filmed-first: field 'sources': needs at least 1 source, got 0"],
        id="fact-without-sources",
    ),
    pytest.param(
        edit("facts", 0, sources=DROP),
        [f"{P}: fact kiss-filmed-first: field 'sources': missing required field"],
        id="fact-sources-missing",
    ),
    # --- questions and their facts
    pytest.param(
        edit("questions", 0, fact="no-such-fact"),
        [f"{P}: question q-kiss-filmed-first: field 'fact': no fact 'no-such-fact' in any loaded pack"],
        id="question-on-unknown-fact",
    ),
    pytest.param(
        edit("questions", 1, about_dispute=DROP),
        [
            f"{P}: question q-takes-agree: field 'about_dispute': fact 'kiss-take-count' is contested, "
            "so the question must set about_dispute = true and ask about the disagreement"
        ],
        id="contested-fact-without-about-dispute",
    ),
    pytest.param(
        edit("questions", 1, about_dispute=False),
        [
            f"{P}: question q-takes-agree: field 'about_dispute': fact 'kiss-take-count' is contested, "
            "so the question must set about_dispute = true and ask about the disagreement"
        ],
        id="contested-fact-with-about-dispute-false",
    ),
    pytest.param(
        edit("questions", 0, about_dispute=True),
        [
            f"{P}: question q-kiss-filmed-first: field 'about_dispute': fact 'kiss-filmed-first' "
            "is not contested, so about_dispute must be false or left out"
        ],
        id="about-dispute-on-uncontested-fact",
    ),
    # --- options
    pytest.param(
        edit("questions", 0, wrong=["The kiss", "Both on the same take", "Neither"]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': repeats the answer 'The kiss'"],
        id="answer-among-wrong",
    ),
    pytest.param(
        edit("questions", 0, wrong=[" the KISS ", "Both on the same take", "Neither"]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': repeats the answer 'The kiss'"],
        id="answer-among-wrong-ignoring-case-and-spaces",
    ),
    pytest.param(
        edit("questions", 0, wrong=["Both", "both", "Neither"]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': repeats the option 'Both'"],
        id="duplicate-wrong-options",
    ),
    pytest.param(
        edit("questions", 0, answer=""),
        [f"{P}: question q-kiss-filmed-first: field 'answer': must not be empty"],
        id="empty-answer",
    ),
    pytest.param(
        edit("questions", 0, wrong=["Both", " ", "Neither"]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': wrong option 2 must not be empty"],
        id="empty-wrong-option",
    ),
    pytest.param(
        edit("questions", 0, wrong=[]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': needs 1 to 3 wrong options, got 0"],
        id="fewer-than-two-options",
    ),
    pytest.param(
        edit("questions", 0, wrong=["a", "b", "c", "d"]),
        [f"{P}: question q-kiss-filmed-first: field 'wrong': needs 1 to 3 wrong options, got 4"],
        id="more-than-four-options",
    ),
    pytest.param(
        edit("questions", 0, difficulty="Easy"),
        [
            f"{P}: question q-kiss-filmed-first: field 'difficulty': "
            "'Easy' is not one of 'easy', 'medium', 'hard'"
        ],
        id="invalid-difficulty",
    ),
    # --- true/false
    pytest.param(
        edit("questions", 1, wrong=["Maybe"]),
        [f'{P}: question q-takes-agree: field \'wrong\': a true/false question needs wrong = ["True"]'],
        id="true-false-with-other-wrong",
    ),
    pytest.param(
        edit("questions", 1, wrong=["True", "Maybe"]),
        [f'{P}: question q-takes-agree: field \'wrong\': a true/false question needs wrong = ["True"]'],
        id="true-false-with-extra-wrong",
    ),
    pytest.param(
        edit("questions", 1, answer="No", wrong=["True"]),
        [
            f"{P}: question q-takes-agree: field 'wrong': 'True' is only allowed in a true/false question "
            '(answer = "True" and wrong = ["False"], or the reverse)'
        ],
        id="true-among-other-options",
    ),
    pytest.param(
        edit("questions", 1, answer="false"),
        [
            f"{P}: question q-takes-agree: field 'answer': "
            "write 'False', not 'false' (true/false options are 'True' and 'False')"
        ],
        id="true-false-spelling",
    ),
    # --- typed play
    pytest.param(
        edit("questions", 0, accept=["Kiss", "the kiss", "  KISS "]),
        [
            f"{P}: question q-kiss-filmed-first: field 'accept': repeats the answer 'The kiss'",
            f"{P}: question q-kiss-filmed-first: field 'accept': repeats the accepted answer '  KISS '",
        ],
        id="accept-repeats",
    ),
    pytest.param(
        edit("questions", 0, accept=["The confession"]),
        [f"{P}: question q-kiss-filmed-first: field 'accept': 'The confession' is also a wrong option"],
        id="accept-a-wrong-option",
    ),
    pytest.param(
        edit("questions", 0, accept=[]),
        [f"{P}: question q-kiss-filmed-first: field 'accept': needs 1 to 10 accepted answers, got 0"],
        id="accept-empty",
    ),
    pytest.param(
        edit("questions", 0, accept=["Kiss"], typed=False),
        [
            f"{P}: question q-kiss-filmed-first: field 'accept': "
            "the question sets typed = false, so no typed guess is compared with these"
        ],
        id="accept-without-typed-play",
    ),
    pytest.param(
        edit("questions", 0, typed="no"),
        [f"{P}: question q-kiss-filmed-first: field 'typed': must be true or false, not a string"],
        id="typed-not-a-flag",
    ),
    pytest.param(
        edit("questions", 1, typed=True, accept=["Nope"]),
        [
            f"{P}: question q-takes-agree: field 'typed': a true/false question is never typed: leave `typed` out",
            f"{P}: question q-takes-agree: field 'accept': "
            "a true/false question is never typed, so it has no accepted answers",
        ],
        id="true-false-typed",
    ),
    # --- questions of their own (imported lists): topics instead of a fact, typed only without wrong
    pytest.param(
        edit("questions", 0, fact=DROP),
        [
            f"{P}: question q-kiss-filmed-first: field 'fact': "
            "missing required field (or, for a question not about a fact, give its `topics`)"
        ],
        id="neither-fact-nor-topics",
    ),
    pytest.param(
        edit("questions", 0, topics=["filming"]),
        [
            f"{P}: question q-kiss-filmed-first: field 'topics': "
            "a question about a fact has its fact's topics: give `fact` or `topics`, not both"
        ],
        id="fact-and-topics",
    ),
    pytest.param(
        edit("questions", 0, wrong=DROP, typed=False),
        [
            f"{P}: question q-kiss-filmed-first: field 'typed': "
            "a question without wrong options is asked only typed: it cannot set typed = false"
        ],
        id="typed-only-not-typed",
    ),
    # --- packs and folders
    pytest.param(
        drop_sections("facts", "questions"),
        [f"{P}: pack: field 'facts': the pack has no facts and no questions"],
        id="pack-without-facts",
    ),
]


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty seeds/ folder; the current directory is its parent, so paths show as 'seeds/...'."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "seeds"
    folder.mkdir()
    return folder


def messages(folder: Path) -> list[str]:
    return [str(issue) for issue in load_packs(folder).issues]


def test_the_valid_pack_has_no_issues(seeds: Path) -> None:
    write_packs(seeds, {MAIN: valid_pack()})
    assert messages(seeds) == []


@pytest.mark.parametrize(("change", "expected"), RULES)
def test_each_rule_reports_its_exact_message(seeds: Path, change: Change, expected: list[str]) -> None:
    files: Files = {MAIN: valid_pack()}
    change(files)
    write_packs(seeds, files)
    assert messages(seeds) == expected


def test_a_question_may_name_its_topics_instead_of_a_fact_and_leave_out_wrong_options(seeds: Path) -> None:
    doc = valid_pack()
    doc["questions"].append(
        {
            "id": "q-own",
            "topics": ["trivia"],
            "prompt": "Which paper company?",
            "answer": "Dunder Mifflin",
            "accept": ["Dunder-Mifflin Inc"],
            "explanation": "From a list.",
            "difficulty": "easy",
        }
    )
    write_packs(seeds, {MAIN: doc})
    result = load_packs(seeds)
    assert [str(issue) for issue in result.issues] == []
    own = next(q for q in result.packs[0].questions if q.id == "q-own")
    assert (own.fact_id, own.topics, own.wrong, own.on_buttons, own.typed_play) == (
        None, ("trivia",), (), False, True
    )
    store = ContentStore(result.packs)
    assert "trivia" in store.topics() and "trivia" not in store.fact_topics()
    assert store.question_ids("trivia") == ("q-own",) and store.topic_counts()["trivia"].facts == 0


def test_an_empty_folder_is_an_issue(seeds: Path) -> None:
    assert messages(seeds) == ["seeds: folder: no content packs (*.toml files) in this folder"]


def test_a_missing_path_is_an_issue(seeds: Path) -> None:
    assert messages(seeds / "nowhere") == ["seeds/nowhere: path: does not exist"]


def test_a_single_file_that_is_not_toml_is_an_issue(seeds: Path) -> None:
    (seeds / "pack.json").write_text("{}")
    assert messages(seeds / "pack.json") == ["seeds/pack.json: file: is not a .toml file"]


def test_a_single_toml_file_loads(seeds: Path) -> None:
    write_packs(seeds, {MAIN: valid_pack()})
    result = load_packs(seeds / MAIN)
    assert not result.issues
    assert [pack.id for pack in result.packs] == ["casino-night"]


def test_hidden_toml_files_are_ignored(seeds: Path) -> None:
    write_packs(seeds, {MAIN: valid_pack(), ".#casino-night.toml": "not toml at all ["})
    assert messages(seeds) == []


def test_paths_outside_the_current_directory_are_shown_as_given(tmp_path: Path) -> None:
    folder = write_packs(tmp_path / "elsewhere", {MAIN: valid_pack() | {"facts": [], "questions": []}})
    # The current directory (the repo) does not contain tmp_path, so the path stays absolute.
    assert messages(folder)[0].startswith(f"{folder / MAIN}: pack: ")


def test_a_question_may_test_a_fact_of_a_pack_loaded_later(seeds: Path) -> None:
    first = valid_pack()
    first["questions"][0]["fact"] = "more-fact"  # defined in the second file
    second = valid_pack()
    second["pack"]["id"] = "more"
    second["facts"] = [{**second["facts"][0], "id": "more-fact"}]
    second["questions"] = [{**second["questions"][0], "id": "q-more", "fact": "kiss-filmed-first"}]
    write_packs(seeds, {MAIN: first, OTHER: second})
    assert messages(seeds) == []


def test_packs_may_share_a_source_with_the_same_headline(seeds: Path) -> None:
    files: Files = {MAIN: valid_pack()}
    other_pack(lambda doc: None)(files)
    write_packs(seeds, files)
    assert messages(seeds) == []


def test_every_problem_is_reported_at_once(seeds: Path) -> None:
    doc = valid_pack()
    doc["pack"]["title"] = ""
    doc["sources"][1]["headline"] = 7
    doc["facts"][0].update(text="t" * 1001, topics=["Filming"], sources=["999_x.txt"], colour="red")
    doc["facts"][1]["contested"] = ""
    doc["questions"][0].update(wrong=["The kiss"], difficulty="impossible")
    doc["questions"][1].update(about_dispute=False, fact="missing-fact")
    broken_other = valid_pack()
    broken_other["pack"]["id"] = "more"
    broken_other["facts"] = []
    broken_other["questions"] = []
    write_packs(seeds, {MAIN: doc, OTHER: broken_other})

    assert messages(seeds) == [
        f"{P}: pack: field 'title': must not be empty",
        f"{P}: source 001_b.txt: field 'headline': must be a string, not an integer",
        f"{P}: fact kiss-filmed-first: field 'text': is 1001 characters long, the limit is 1000",
        f"{P}: fact kiss-filmed-first: field 'topics': topic 1 'Filming' {SLUG_HINT}",
        f"{P}: fact kiss-filmed-first: field 'colour': unknown field "
        "(expected one of: id, text, topics, sources, contested)",
        f"{P}: fact kiss-filmed-first: field 'sources': '999_x.txt' is not a [[sources]] file of this pack",
        f"{P}: fact kiss-take-count: field 'contested': must not be empty (leave the field out instead)",
        f"{P}: question q-kiss-filmed-first: field 'difficulty': "
        "'impossible' is not one of 'easy', 'medium', 'hard'",
        f"{P}: question q-kiss-filmed-first: field 'wrong': repeats the answer 'The kiss'",
        f"{P}: question q-takes-agree: field 'fact': no fact 'missing-fact' in any loaded pack",
        f"{Q}: pack: field 'facts': the pack has no facts and no questions",
    ]


def test_broken_entries_are_left_out_of_the_packs(seeds: Path) -> None:
    doc = valid_pack()
    doc["questions"][0]["difficulty"] = "impossible"
    write_packs(seeds, {MAIN: doc})
    result = load_packs(seeds)
    assert result.issues
    (pack,) = result.packs
    assert [question.id for question in pack.questions] == ["q-takes-agree"]
    assert [fact.id for fact in pack.facts] == ["kiss-filmed-first", "kiss-take-count"]


def test_loaded_values_match_the_file(seeds: Path) -> None:
    write_packs(seeds, {MAIN: valid_pack()})
    (pack,) = load_packs(seeds).packs
    assert pack.path == seeds / MAIN
    assert pack.title == "Casino Night: the first kiss"
    assert [source.file for source in pack.sources] == ["000_a.txt", "001_b.txt"]
    fact = pack.facts[1]
    assert fact.topics == ("filming", "cast")
    assert fact.sources == ("000_a.txt", "001_b.txt")
    assert fact.contested == "Article 000 says one take; article 001 says three."
    assert fact.pack_id == "casino-night"
    question = pack.questions[0]
    assert question.fact_id == "kiss-filmed-first"
    assert question.wrong == ("The confession", "Both at once", "Neither of them")
    assert question.difficulty == "easy"
    assert question.about_dispute is False
    assert pack.questions[1].about_dispute is True


def test_a_duplicate_names_the_line_of_the_first_entry_whatever_its_header_spacing(seeds: Path) -> None:
    text = to_toml(valid_pack()).replace("[[facts]]", "  [[ facts ]]  # a fact", 1)
    text += '\n[[facts]]\nid = "kiss-take-count"\ntext = "Again."\ntopics = ["cast"]\nsources = ["000_a.txt"]\n'
    write_packs(seeds, {MAIN: text})
    assert messages(seeds) == [
        f"{P}: fact kiss-take-count: field 'id': fact id 'kiss-take-count' is already used in this pack, "
        "by [[facts]] entry 2 on line 20"
    ]


def test_a_duplicate_in_an_inline_array_names_the_entry_without_a_line(seeds: Path) -> None:
    doc = valid_pack()
    facts = doc.pop("facts")
    inline = [", ".join(f"{key} = {json.dumps(value)}" for key, value in fact.items()) for fact in [*facts, facts[0]]]
    text = "facts = [\n" + "".join(f"  {{{table}}},\n" for table in inline) + "]\n\n" + to_toml(doc)
    write_packs(seeds, {MAIN: text})
    assert messages(seeds) == [
        f"{P}: fact kiss-filmed-first: field 'id': fact id 'kiss-filmed-first' is already used in this pack, "
        "by [[facts]] entry 1"
    ]
