"""Casino Night: a quiz-and-facts bot for Discord fan servers."""

__version__ = "0.1.0"
