"""Where each id is first defined across all packs, so entries can be checked in one pass, in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .issues import display_path
from .pack_files import RawPack, Table, source_key

# (file number, entry index): where an entry sits among the loaded files.
Place = tuple[int, int]


def _text(table: Table, key: str) -> str | None:
    """The key's value when it is a non-blank string, else None (its problems are reported elsewhere)."""
    value = table.get(key)
    return value if isinstance(value, str) and value.strip() else None


@dataclass(slots=True)
class Registry:
    """First definitions of pack ids, fact ids, question ids and source files, across every file.

    Built from the raw tables before any entry is checked, so a question can be checked against
    facts of packs loaded after its own, and a duplicate can name the file of the first definition.
    """

    raws: Sequence[RawPack]
    pack_ids: dict[str, int] = field(default_factory=dict)
    facts: dict[str, Place] = field(default_factory=dict)
    contested_facts: set[str] = field(default_factory=set)
    questions: dict[str, Place] = field(default_factory=dict)
    sources: dict[str, tuple[Place, str | None]] = field(default_factory=dict)

    @classmethod
    def build(cls, raws: Sequence[RawPack], *, server: bool = False) -> Registry:
        """Index the first definition of every id in `raws`, in load order (`server`: a server pack's)."""
        registry = cls(raws)
        for file_no, raw in enumerate(raws):
            if raw.header is not None and (pack_id := _text(raw.header, "id")) is not None:
                registry.pack_ids.setdefault(pack_id, file_no)
            for index, table in enumerate(raw.sources):
                if (file := source_key(table, server=server)) is not None:
                    registry.sources.setdefault(file, ((file_no, index), _text(table, "headline")))
            for index, table in enumerate(raw.facts):
                if (fact_id := _text(table, "id")) is not None and fact_id not in registry.facts:
                    registry.facts[fact_id] = (file_no, index)
                    # The doc's rule: a 'contested' key present means contested, whatever its problems.
                    if "contested" in table:
                        registry.contested_facts.add(fact_id)
            for index, table in enumerate(raw.questions):
                if (question_id := _text(table, "id")) is not None:
                    registry.questions.setdefault(question_id, (file_no, index))
        return registry

    def where(self, first_file: int, here_file: int) -> str:
        """'in this pack' or 'in <file>': where a first definition is, seen from `here_file`."""
        if first_file == here_file:
            return "in this pack"
        return f"in {display_path(self.raws[first_file].path)}"

    def first_entry(self, table: str, first: Place, here_file: int) -> str:
        """'in this pack, by [[facts]] entry 2 on line 14': where an entry was first defined."""
        file_no, index = first
        line = self.raws[file_no].entry_line(table, index)
        on_line = "" if line is None else f" on line {line}"
        return f"{self.where(file_no, here_file)}, by [[{table}]] entry {index + 1}{on_line}"
