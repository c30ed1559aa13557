"""A question as a round shows it, built by the caller from the content model."""

from __future__ import annotations

from dataclasses import dataclass

MIN_OPTIONS = 2  # True/False
MAX_OPTIONS = 4  # A-D: the content format allows at most three wrong options


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question as this round shows it: options already in display order."""

    question_id: str
    prompt: str
    options: tuple[str, ...]
    correct_index: int
    explanation: str
    fact_id: str | None = None
    is_true_false: bool = False  # shown as True / False buttons rather than A-D
    # Typed play: what a guess is compared with (the answer, then its aliases); empty for buttons.
    # A typed question's only option is its answer: nothing else is shown.
    accepted: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Reject shapes the buttons and scoring cannot handle."""
        if self.accepted:
            if self.options != (self.accepted[0],) or self.correct_index != 0 or self.is_true_false:
                raise ValueError(f"question {self.question_id!r}: a typed question's one option is its answer")
            return
        if not MIN_OPTIONS <= len(self.options) <= MAX_OPTIONS:
            raise ValueError(
                f"question {self.question_id!r}: needs {MIN_OPTIONS}-{MAX_OPTIONS} options, got {len(self.options)}"
            )
        if not 0 <= self.correct_index < len(self.options):
            raise ValueError(f"question {self.question_id!r}: correct_index {self.correct_index} out of range")

    @property
    def is_typed(self) -> bool:
        """Whether players type the answer (an Answer button and a text box) instead of clicking it."""
        return bool(self.accepted)

    @property
    def correct_option(self) -> str:
        """The text of the right answer."""
        return self.options[self.correct_index]
