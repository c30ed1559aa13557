"""Lint: content that loads but lets players down (answers given away, repeats, copied or misquoted text).

These are warnings, shown by `check-content` (errors with `--strict`); the bot does not run them
at start-up, since none of them makes content unusable.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from .copying import SourceIndex, words
from .issues import ContentIssue, EntryReporter
from .model import Fact, Pack, Question

# An option "much longer" than all the others has at least LENGTH_RATIO times the length of the
# longest other one, and a clear margin too, so that "One" against "Three" passes. Characters
# catch a long name among short ones, words a whole phrase among short answers.
LENGTH_RATIO: Final = 1.5
MIN_EXTRA_CHARS: Final = 8
MIN_EXTRA_WORDS: Final = 3
# Facts this alike, word for word (difflib's ratio over their words), say the same thing twice.
NEAR_DUPLICATE_RATIO: Final = 0.75

_TRUE_OR_FALSE = re.compile(r"\s*true\s+or\s+false\b[\s:?,.!-]*", re.IGNORECASE)
# Verbs that open a yes/no question. Not "May" or "Will": a statement can open with a date or a name.
_YES_NO_OPENING = re.compile(r"(?:do|does|did|is|are|was|were|has|have|had|can|could|would|should)\b", re.IGNORECASE)


def lint_packs(packs: Sequence[Pack], sources: Mapping[str, str] | None = None) -> list[ContentIssue]:
    """Warnings about `packs`; with `sources` (file name -> article text), also about copied or misquoted text.

    `sources` holds the articles that could be read; each pack is checked against those it declares.
    """
    issues: list[ContentIssue] = []
    for pack in packs:
        for question in pack.questions:
            report = EntryReporter(issues, pack.path, f"question {question.id}")
            check_option_lengths(question, report)
            check_true_false_prompt(question, report)
    check_near_duplicate_facts(packs, issues)
    if sources is not None:
        facts = {fact.id: fact for pack in packs for fact in pack.facts}
        for pack in packs:
            check_against_sources(pack, facts, sources, issues)
    return issues


def check_option_lengths(question: Question, report: EntryReporter) -> None:
    """Warn about an option much longer or shorter than every other: length should give nothing away."""
    if question.is_true_false or not question.wrong:
        return  # True/False are alike; a typed-only question shows no options
    options = question.options
    for position, option in enumerate(options):
        others = options[:position] + options[position + 1 :]
        # With two options, one much shorter means the other is much longer: say it once.
        outlier = _length_outlier(option, others, shorter_too=len(options) > 2)
        if outlier is not None:
            field, which = ("answer", "the answer") if position == 0 else ("wrong", "the wrong option")
            report(field, f"{which} {option!r} is much {outlier}: options should look alike, so that "
                   "their length gives nothing away")


def _length_outlier(option: str, others: Sequence[str], shorter_too: bool) -> str | None:
    """'longer than …' or 'shorter than …' when `option` stands out from all `others`, else None."""
    for measure, unit, margin in ((len, "characters", MIN_EXTRA_CHARS), (_word_count, "words", MIN_EXTRA_WORDS)):
        size = measure(option)
        sizes = [measure(other) for other in others]
        longest, shortest = max(sizes), min(sizes)
        if size >= LENGTH_RATIO * longest and size - longest >= margin:
            return f"longer than every other option ({size} {unit} against at most {longest})"
        if shorter_too and shortest >= LENGTH_RATIO * size and shortest - size >= margin:
            return f"shorter than every other option ({size} {unit} against at least {shortest})"
    return None


def _word_count(text: str) -> int:
    return len(text.split())


def check_true_false_prompt(question: Question, report: EntryReporter) -> None:
    """Warn about a yes/no question on True/False buttons: 'True' is not an answer to 'Do they …?'."""
    if not question.is_true_false:
        return
    opening = _TRUE_OR_FALSE.match(question.prompt)
    statement = question.prompt[opening.end() :] if opening else question.prompt
    if statement.rstrip().endswith("?") or _YES_NO_OPENING.match(statement):
        report(
            "prompt",
            "a yes/no question on True/False buttons: write a statement to judge instead "
            "(for example 'True or false: the articles agree that …')",
        )


def check_near_duplicate_facts(packs: Sequence[Pack], issues: list[ContentIssue]) -> None:
    """Warn about a fact whose text is nearly that of an earlier one (in any pack): once, naming the first."""
    facts = [(pack, fact) for pack in packs for fact in pack.facts]
    for earlier, later, ratio in near_duplicates([fact.text for _, fact in facts]):
        pack, fact = facts[later]
        issues.append(
            ContentIssue(
                pack.path,
                f"fact {fact.id}",
                "text",
                f"nearly the same text as fact {facts[earlier][1].id!r} ({ratio:.0%} alike): "
                "merge them, or make each say something of its own",
            )
        )


def near_duplicates(texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """(earlier, later, ratio) for each text at least NEAR_DUPLICATE_RATIO alike, word for word, to an
    earlier one: the first such earlier text, so a text repeated many times gives one line per copy."""
    tokens = [words(text) for text in texts]
    # Only texts sharing a pair of adjacent words are compared, which spares most pairs of a large
    # pack: texts this alike always share one, unless they are only a few words long.
    having: dict[tuple[str, ...], list[int]] = {}  # word pair -> the texts so far that have it, in order
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    found = []
    for later, text_words in enumerate(tokens):
        keys = set(_word_pairs(text_words))
        matcher.set_seq2(text_words)  # the costly side, prepared once for all its comparisons
        for earlier, _ in itertools.groupby(heapq.merge(*(having.get(key, ()) for key in keys))):
            matcher.set_seq1(tokens[earlier])
            if matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO or matcher.quick_ratio() < NEAR_DUPLICATE_RATIO:
                continue  # cheap upper bounds first
            if (ratio := matcher.ratio()) >= NEAR_DUPLICATE_RATIO:
                found.append((earlier, later, ratio))
                break
        for key in keys:
            having.setdefault(key, []).append(later)
    return found


def _word_pairs(text_words: list[str]) -> Iterable[tuple[str, ...]]:
    if len(text_words) < 2:
        return [tuple(text_words)]
    return itertools.pairwise(text_words)


def check_against_sources(
    pack: Pack, facts: Mapping[str, Fact], sources: Mapping[str, str], issues: list[ContentIssue]
) -> None:
    """Warn about words copied from the pack's sources outside quotation marks, and quotations
    that are not in the sources cited (a question cites those of its fact)."""
    for source in pack.sources:
        if source.file not in sources:
            report = EntryReporter(issues, pack.path, f"source {source.file}")
            report("file", "not found among the source articles, so text copied from it is not checked")
    index = SourceIndex({source.file: sources[source.file] for source in pack.sources if source.file in sources})
    declared = tuple(source.file for source in pack.sources)
    # (entry, its texts, the sources it cites: None when its fact did not load, as when checking broken packs)
    entries: list[tuple[str, Iterable[tuple[str, str]], Sequence[str] | None]] = [
        ("pack", _pack_texts(pack), declared)
    ]
    entries += [(f"fact {fact.id}", _fact_texts(fact), fact.sources) for fact in pack.facts]
    entries += [
        (
            f"question {question.id}",
            _question_texts(question),
            _cited(facts.get(question.fact_id) if question.fact_id else None),
        )
        for question in pack.questions
    ]
    for entry, texts, cited in entries:
        report = EntryReporter(issues, pack.path, entry)
        # A quotation may be from an article not at hand: check only against all the sources cited.
        checkable = cited is not None and all(index.has(file) for file in cited)
        for field, text in texts:
            for run in index.copied_runs(text):
                report(
                    field,
                    f"copies {run.word_count} words of {run.source} outside quotation marks: {run.excerpt!r} "
                    "(put it in your own words, or in quotation marks if it is a quote)",
                )
            # A wrong option may well be a made-up quote: "Which did he whisper?"
            for quotation in index.misquotes(text, cited or ()) if checkable and field != "wrong" else ():
                report(
                    field,
                    f"quotes {quotation} but no source it cites ({', '.join(cited or ())}) has these words in this "
                    "order: quote the article word for word (with … or [ ] for changes), or drop the marks",
                )


def _cited(fact: Fact | None) -> Sequence[str] | None:
    return None if fact is None else fact.sources


def _pack_texts(pack: Pack) -> list[tuple[str, str]]:
    texts = [("title", pack.title)]
    if pack.description is not None:
        texts.append(("description", pack.description))
    return texts


def _fact_texts(fact: Fact) -> list[tuple[str, str]]:
    texts = [("text", fact.text)]
    if fact.contested is not None:
        texts.append(("contested", fact.contested))
    return texts


def _question_texts(question: Question) -> list[tuple[str, str]]:
    return [
        ("prompt", question.prompt),
        ("answer", question.answer),
        *(("wrong", option) for option in question.wrong),
        ("explanation", question.explanation),
    ]
