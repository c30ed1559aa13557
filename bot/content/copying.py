"""Comparing pack text with its source articles: words copied outside quotation marks, and
quotations that are not in the articles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

MIN_COPIED_WORDS: Final = 10  # the lint's threshold: a run this long is the article's sentence, not a fact

# A word is letters and digits, with inner apostrophes ("Pam's"); hyphens split words, so
# "low-budget" is two, and typographic apostrophes count as straight ones.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Quotation marks: “…”, "…" and «…», each closed. Single quotes are not: they cannot be told apart
# from apostrophes ("Pam's", "'90s"), so a quote in single quotes is checked like any other text.
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|«[^«»]*»")
# Inside a quotation, what stands for left-out words: a blank to fill in ("___"), an ellipsis or
# an editor's [insertion]. Each part between them must be in the article as it stands.
_QUOTE_GAP = re.compile(r"_{2,}|…|\.{3}|\[[^\]]*\]")


def _normalise(word: str) -> str:
    return word.casefold().replace("’", "'")


def words(text: str) -> list[str]:
    """The words of a text, casefolded, as the copy check compares them."""
    return [_normalise(word) for word in _WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class CopiedRun:
    """Words of a text, outside quotation marks, that also appear in this order in a source."""

    source: str  # the source's file name
    word_count: int
    excerpt: str  # the run as it is written in the text


class SourceIndex:
    """Every run of MIN_COPIED_WORDS words of some source articles, for looking texts up against."""

    __slots__ = ("_articles", "_runs", "_size")

    def __init__(self, sources: Mapping[str, str], size: int = MIN_COPIED_WORDS) -> None:
        """Index `sources` (file name -> article text); a run found in several is credited to the first."""
        self._size = size
        self._runs: dict[tuple[str, ...], str] = {}
        self._articles: dict[str, str] = {}  # file -> its words, space-separated and space-framed
        for file, text in sources.items():
            article = words(text)
            self._articles[file] = f" {' '.join(article)} "
            for start in range(len(article) - size + 1):
                self._runs.setdefault(tuple(article[start : start + size]), file)

    def copied_runs(self, text: str) -> list[CopiedRun]:
        """The longest runs of `size` or more words of `text`, outside quotation marks, found in a source."""
        found = []
        for segment in _unquoted_segments(text):
            tokens = list(_WORD.finditer(segment))
            found.extend(self._runs_in(segment, tokens))
        return found

    def has(self, file: str) -> bool:
        """Whether this source was indexed."""
        return file in self._articles

    def misquotes(self, text: str, files: Iterable[str]) -> list[str]:
        """The quotations in `text` that are in none of `files` (all of which must be indexed)."""
        articles = [self._articles[file] for file in files]
        found = []
        for quotation in _QUOTED.finditer(text):
            pieces = (words(piece) for piece in _QUOTE_GAP.split(quotation.group()))
            parts = [f" {' '.join(piece)} " for piece in pieces if piece]
            if parts and not any(all(part in article for part in parts) for article in articles):
                found.append(quotation.group())
        return found

    def _runs_in(self, segment: str, tokens: list[re.Match[str]]) -> list[CopiedRun]:
        size = self._size
        sequence = [_normalise(token.group()) for token in tokens]
        found: list[CopiedRun] = []
        start = 0
        while start <= len(sequence) - size:
            source = self._runs.get(tuple(sequence[start : start + size]))
            if source is None:
                start += 1
                continue
            # Extend while each next window is copied too: one warning per run, with its full length.
            end = start + size
            while end < len(sequence) and tuple(sequence[end - size + 1 : end + 1]) in self._runs:
                end += 1
            excerpt = segment[tokens[start].start() : tokens[end - 1].end()]
            found.append(CopiedRun(source, end - start, excerpt))
            start = end
        return found


def _unquoted_segments(text: str) -> list[str]:
    """The parts of `text` outside quotation marks; a run never spans a quotation."""
    return _QUOTED.split(text)
