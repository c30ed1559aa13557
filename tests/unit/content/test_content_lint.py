"""The content lint: answers given away by their length, yes/no prompts on True/False buttons,
facts that repeat each other, text copied from the source articles and quotations not in them;
and `check-content`'s warnings, `--strict` and `--sources`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.content import check_content, lint_packs, load_packs
from bot.content.copying import SourceIndex
from bot.content.lint import near_duplicates
from bot.exit_status import EXIT_CONTENT

from .packs import Doc, valid_pack, write_packs

P = "seeds/casino-night.toml"
ARTICLE = (
    "Fischer wasn’t much more experienced – her only previous on-camera kiss had been in a low-budget "
    "indie film. But this wasn’t just any kiss."
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # so paths show as 'seeds/...'


def lint(tmp_path: Path, doc: Doc, sources: dict[str, str] | None = None) -> list[str]:
    result = load_packs(write_packs(tmp_path / "seeds", {"casino-night.toml": doc}))
    assert not result.issues, [str(issue) for issue in result.issues]
    return [str(issue) for issue in lint_packs(result.packs, sources)]


def with_options(answer: str, wrong: list[str]) -> Doc:
    doc = valid_pack()
    doc["questions"][0].update(answer=answer, wrong=wrong)
    return doc


def test_the_valid_pack_has_no_warning(tmp_path: Path) -> None:
    assert lint(tmp_path, valid_pack(), {"000_a.txt": ARTICLE, "001_b.txt": ""}) == []


# --- options whose length gives the answer away -------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "wrong", "warning"),
    [
        (
            "She began as soon as Kwapis walked away",
            ["Kwapis called it", "A bell rang", "He knocked"],
            "field 'answer': the answer 'She began as soon as Kwapis walked away' is much longer than every "
            "other option (39 characters against at most 16)",
        ),
        (  # 33 characters against 24 is not much longer, but nine words against three is
            "The Pam in her and the Jim in him",
            ["Their real-life selves", "Their high-school selves"],
            "field 'answer': the answer 'The Pam in her and the Jim in him' is much longer than every other "
            "option (9 words against at most 3)",
        ),
        (
            "In the comments on Peacock's clip",
            ["On the Office Ladies podcast", "In Fischer's book"],
            "field 'wrong': the wrong option \"In Fischer's book\" is much shorter than every other option "
            "(17 characters against at least 28)",
        ),
    ],
)
def test_an_option_much_longer_or_shorter_than_every_other_is_named(
    tmp_path: Path, answer: str, wrong: list[str], warning: str
) -> None:
    assert lint(tmp_path, with_options(answer, wrong)) == [
        f"{P}: question q-kiss-filmed-first: {warning}: options should look alike, so that their length "
        "gives nothing away"
    ]


@pytest.mark.parametrize(
    ("answer", "wrong"),
    [
        ("One", ["Three", "Two", "Four"]),  # five letters against three: short words differ this much
        ("Hulu", ["Netflix", "Prime Video"]),
        ("The parking-lot confession", ["The kiss itself", "Pam's call to her mom", "The Dundies kiss scene"]),
        ("Reality", ["World", "Dimension", "Life"]),
    ],
)
def test_options_of_a_similar_length_pass(tmp_path: Path, answer: str, wrong: list[str]) -> None:
    assert lint(tmp_path, with_options(answer, wrong)) == []


def test_with_two_options_only_the_longer_one_is_named(tmp_path: Path) -> None:
    doc = with_options("Because everyone on set knew what was coming", ["By chance"])
    assert [issue.split("field ")[1][:8] for issue in lint(tmp_path, doc)] == ["'answer'"]


# --- yes/no questions on True/False buttons -------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Do the articles agree on how many takes the kiss needed?",
        "True or false: did the kiss need three takes?",
        "Was the kiss filmed in one take",
        "True or false? Is the Dundies kiss their first",
    ],
)
def test_a_yes_no_question_on_true_false_buttons_is_named(tmp_path: Path, prompt: str) -> None:
    doc = valid_pack()
    doc["questions"][1]["prompt"] = prompt
    assert lint(tmp_path, doc) == [
        f"{P}: question q-takes-agree: field 'prompt': a yes/no question on True/False buttons: write a "
        "statement to judge instead (for example 'True or false: the articles agree that …')"
    ]


@pytest.mark.parametrize(
    "prompt",
    [
        "True or false: the articles agree on how many takes the kiss needed.",
        "The articles agree on how many takes the kiss needed",
        "True or false: article 004 asks “Are we sure that these two weren't in love?”",
        "Doubts about the take count are settled in every article.",  # 'Do…' but not the verb
        "True or false: May 13 is the date of the Office Ladies episode with Krasinski.",  # not "May I…?"
    ],
)
def test_a_statement_on_true_false_buttons_passes(tmp_path: Path, prompt: str) -> None:
    doc = valid_pack()
    doc["questions"][1]["prompt"] = prompt
    assert lint(tmp_path, doc) == []


def test_a_multiple_choice_question_may_ask_a_question(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["questions"][0]["prompt"] = "Did they film the kiss or the confession first?"
    assert lint(tmp_path, doc) == []


# --- facts that say the same thing ----------------------------------------------------------------


def test_a_fact_nearly_the_same_as_an_earlier_one_is_named(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][1]["text"] = "The kiss was shot before the parking-lot confession that leads up to it."
    assert lint(tmp_path, doc) == [
        f"{P}: fact kiss-take-count: field 'text': nearly the same text as fact 'kiss-filmed-first' "
        "(93% alike): merge them, or make each say something of its own"
    ]


def test_near_duplicates_are_found_across_packs(tmp_path: Path) -> None:
    other = valid_pack()
    other["pack"]["id"] = "more"
    other["facts"] = [{**other["facts"][0], "id": "same-again", "text": "THE kiss was filmed before the parking-lot "
                       "confession that leads up to it!"}]
    other["questions"] = []
    folder = write_packs(tmp_path / "seeds", {"a.toml": valid_pack(), "b.toml": other})
    issues = lint_packs(load_packs(folder).packs)
    assert [(issue.path.name, issue.entry, issue.field) for issue in issues] == [("b.toml", "fact same-again", "text")]
    assert "'kiss-filmed-first' (100% alike)" in issues[0].message


def test_near_duplicates_compares_word_for_word() -> None:
    texts = [
        "Jenna Fischer married writer Lee Kirk in July 2010.",
        "John Krasinski married actor Emily Blunt in July 2010.",  # the same shape is not the same fact
        "In July 2010 Jenna Fischer married the writer Lee Kirk.",  # the same words in another order
        "Jenna Fischer married the writer Lee Kirk in July 2010.",
        "Kwapis",
        "Kwapis",
    ]
    assert [(a, b) for a, b, _ in near_duplicates(texts)] == [(0, 3), (4, 5)]


def test_a_text_repeated_many_times_is_named_once_per_copy() -> None:
    texts = [f"Fact {n}: the kiss was filmed before the parking-lot confession that leads up to it." for n in range(4)]
    assert [(a, b) for a, b, _ in near_duplicates(texts)] == [(0, 1), (0, 2), (0, 3)]


# --- text copied from the sources -------------------------------------------------------------------


def test_a_run_of_ten_words_from_a_source_is_found() -> None:
    index = SourceIndex({"003.txt": ARTICLE})
    [run] = index.copied_runs("Fischer's ONLY previous on-camera kiss had been in a low-budget indie film, they say.")
    assert (run.source, run.word_count) == ("003.txt", 13)  # hyphens split words
    assert run.excerpt == "ONLY previous on-camera kiss had been in a low-budget indie film"


def test_nine_words_are_not_a_copy() -> None:
    index = SourceIndex({"003.txt": ARTICLE})
    assert index.copied_runs("A kiss had been in a low-budget indie film.") == []  # 'kiss' to 'film': 9 words
    assert index.copied_runs("A camera kiss had been in a low-budget indie film.") != []  # 'camera' to 'film': 10


def test_quoted_words_are_not_a_copy_and_a_run_never_spans_a_quote() -> None:
    index = SourceIndex({"003.txt": ARTICLE})
    assert index.copied_runs("She says “her only previous on-camera kiss had been in a low-budget indie film”.") == []
    assert index.copied_runs('She says "her only previous on-camera kiss had been in a low-budget indie film".') == []
    assert index.copied_runs("her only previous on-camera “kiss” had been in a low-budget indie film") == []
    # An apostrophe-like single quote is no quotation mark: this is checked like plain text.
    assert index.copied_runs("She says 'her only previous on-camera kiss had been in a low-budget indie film'.") != []


def test_typographic_apostrophes_and_case_do_not_hide_a_copy() -> None:
    index = SourceIndex({"003.txt": ARTICLE})
    [run] = index.copied_runs("FISCHER wasn't much more experienced: her only previous on-camera kiss, you see")
    assert run.word_count == 11


def test_every_text_field_is_checked_against_the_packs_sources(tmp_path: Path) -> None:
    copied = "her only previous on-camera kiss had been in a low-budget indie film"
    doc = valid_pack()
    doc["pack"]["description"] = f"We learn that {copied}."
    doc["facts"][1]["contested"] = f"Article 001 says {copied}."
    doc["questions"][0]["explanation"] = f"Because {copied}."
    issues = lint(tmp_path, doc, {"000_a.txt": ARTICLE, "001_b.txt": ""})
    assert [issue.split(": copies")[0] for issue in issues] == [
        f"{P}: pack: field 'description'",
        f"{P}: fact kiss-take-count: field 'contested'",
        f"{P}: question q-kiss-filmed-first: field 'explanation'",
    ]
    assert issues[0].endswith(
        f"copies 14 words of 000_a.txt outside quotation marks: '{copied}' "
        "(put it in your own words, or in quotation marks if it is a quote)"
    )


def test_a_quotation_must_be_in_a_cited_source_word_for_word() -> None:
    index = SourceIndex({"003.txt": ARTICLE, "000.txt": "It was super eerie."})
    cited = ["003.txt"]
    assert index.misquotes("Her “only previous on-camera kiss” was in an “indie film”.", cited) == []
    assert index.misquotes("She “wasn't much more experienced”.", cited) == []  # ’ and ' are one
    assert index.misquotes("Her “only earlier on-camera kiss”.", cited) == ["“only earlier on-camera kiss”"]
    assert index.misquotes("It was “super eerie”.", cited) == ["“super eerie”"]  # not in the article cited
    assert index.misquotes("It was “super eerie”.", ["003.txt", "000.txt"]) == []


def test_blanks_ellipses_and_insertions_in_a_quotation_stand_for_left_out_words() -> None:
    index = SourceIndex({"003.txt": ARTICLE})
    cited = ["003.txt"]
    assert index.misquotes("“Her only ___ on-camera kiss”", cited) == []
    assert index.misquotes("“Fischer wasn't much more experienced … in a low-budget indie film”", cited) == []
    assert index.misquotes("“[She] wasn't much more experienced”", cited) == []
    assert index.misquotes("“She wasn't much more experienced”", cited) == ["“She wasn't much more experienced”"]


def test_quotations_are_checked_against_the_sources_the_entry_cites(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][0]["text"] = "Fischer said her “only earlier on-camera kiss” was in a film."  # cites 000_a.txt
    doc["questions"][0]["prompt"] = "Was her “only previous on-camera kiss” filmed first?"  # in 000_a.txt
    doc["questions"][0]["explanation"] = "It was “super eerie”."  # in 001_b.txt, which its fact does not cite
    doc["questions"][0]["wrong"] = ["“No kiss”", "Both at once", "Neither of them"]  # a made-up quote: fine
    issues = lint(tmp_path, doc, {"000_a.txt": ARTICLE, "001_b.txt": "It was super eerie."})
    assert [issue.split(" but ")[0] for issue in issues] == [
        f"{P}: fact kiss-filmed-first: field 'text': quotes “only earlier on-camera kiss”",
        f"{P}: question q-kiss-filmed-first: field 'explanation': quotes “super eerie”",
    ]
    assert issues[0].endswith(
        "but no source it cites (000_a.txt) has these words in this order: quote the article word for word "
        "(with … or [ ] for changes), or drop the marks"
    )


def test_quotations_are_not_checked_when_a_cited_source_is_missing(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][1]["text"] = "One article says “three takes”."  # cites 000_a.txt and 001_b.txt
    issues = lint(tmp_path, doc, {"000_a.txt": ARTICLE})
    assert [issue.split(": field")[0] for issue in issues] == [f"{P}: source 001_b.txt"]


def test_broken_content_is_linted_as_far_as_it_loaded(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][0]["text"] = ""  # an error: the fact does not load, but its question does
    doc["questions"][0]["explanation"] = "She spoke of “something no article says”."
    folder = write_packs(tmp_path / "seeds", {"casino-night.toml": doc})
    result = load_packs(folder)
    assert len(result.packs[0].facts) == 1 and len(result.packs[0].questions) == 2
    assert lint_packs(result.packs, {"000_a.txt": ARTICLE, "001_b.txt": ""}) == []


def test_a_source_missing_from_the_folder_is_named(tmp_path: Path) -> None:
    assert lint(tmp_path, valid_pack(), {"000_a.txt": ARTICLE}) == [
        f"{P}: source 001_b.txt: field 'file': not found among the source articles, so text copied from "
        "it is not checked"
    ]


# --- check-content: warnings, --strict and --sources ----------------------------------------------


def seeds_with_a_warning(tmp_path: Path) -> Path:
    doc = valid_pack()
    doc["questions"][1]["prompt"] = "Do the articles agree on how many takes the kiss needed?"
    return write_packs(tmp_path / "seeds", {"casino-night.toml": doc})


def test_warnings_are_shown_but_do_not_fail_the_check(tmp_path: Path) -> None:
    out = io.StringIO()
    assert check_content(seeds_with_a_warning(tmp_path), out) is True
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"warning: {P}: question q-takes-agree: field 'prompt': a yes/no question")
    assert lines[-2:] == [
        "OK: 1 pack, 2 facts (1 contested), 2 questions, 2 topics",
        "1 warning (errors with --strict)",
    ]


def test_strict_makes_warnings_errors(tmp_path: Path) -> None:
    out = io.StringIO()
    assert check_content(seeds_with_a_warning(tmp_path), out, strict=True) is False
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{P}: question q-takes-agree: field 'prompt': a yes/no question")
    assert lines[1] == "1 problem in seeds"


def test_sources_are_read_from_the_folder_given(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][0]["text"] = "Her only previous on-camera kiss had been in a low-budget indie film."
    folder = write_packs(tmp_path / "seeds", {"casino-night.toml": doc})
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "001_b.txt").write_text(ARTICLE, encoding="utf-8")
    out = io.StringIO()
    assert check_content(folder, out, strict=True, sources=articles) is False
    assert out.getvalue().splitlines() == [
        f"{P}: source 000_a.txt: field 'file': not found among the source articles, so text copied from it "
        "is not checked",
        f"{P}: fact kiss-filmed-first: field 'text': copies 14 words of 001_b.txt outside quotation marks: "
        "'Her only previous on-camera kiss had been in a low-budget indie film' (put it in your own words, "
        "or in quotation marks if it is a quote)",
        "2 problems in seeds",
    ]


def test_a_sources_folder_that_does_not_exist_is_a_problem(tmp_path: Path) -> None:
    folder = write_packs(tmp_path / "seeds", {"casino-night.toml": valid_pack()})
    out = io.StringIO()
    assert check_content(folder, out, sources=tmp_path / "nowhere") is False
    assert out.getvalue().splitlines() == [
        "nowhere: sources folder: does not exist or is not a folder",
        "1 problem in seeds",
    ]


def test_the_command_line_takes_strict_and_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.__main__ import main

    folder = seeds_with_a_warning(tmp_path)
    assert main(["check-content", str(folder)]) == 0
    assert main(["check-content", "--strict", str(folder)]) == EXIT_CONTENT
    assert main(["check-content", "--sources", str(tmp_path / "nowhere"), str(folder)]) == EXIT_CONTENT
    assert "nowhere: sources folder: does not exist" in capsys.readouterr().out
