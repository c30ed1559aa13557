"""Content packs: loading, checking and looking up facts and questions (no Discord here)."""

from .issues import ContentIssue
from .lint import lint_packs
from .loader import DEFAULT_CONTENT_PATH, LoadResult, load_packs
from .model import DIFFICULTIES, EntryKind, Fact, Pack, Question, Source
from .store import ContentCounts, ContentError, ContentStore, TopicCount
from .summary import check_content

__all__ = [
    "DEFAULT_CONTENT_PATH",
    "DIFFICULTIES",
    "ContentCounts",
    "ContentError",
    "ContentIssue",
    "ContentStore",
    "EntryKind",
    "Fact",
    "LoadResult",
    "Pack",
    "Question",
    "Source",
    "TopicCount",
    "check_content",
    "lint_packs",
    "load_packs",
]
