"""Topics as people type them: by slug or label, any case; unknown ones listed back."""

import pytest

from bot.topics import resolve_topic, suggest_topics, topic_label
from bot.user_errors import UserError

TOPICS = ["behind-the-scenes", "cast", "the-kiss"]


@pytest.mark.parametrize("typed", ["cast", "CAST", " Cast ", "cast"])
def test_a_topic_is_found_by_slug_or_label_in_any_case(typed: str) -> None:
    assert resolve_topic(TOPICS, typed) == "cast"


def test_a_label_with_spaces_finds_its_slug_and_nothing_typed_is_no_topic() -> None:
    assert resolve_topic(TOPICS, "Behind the scenes") == "behind-the-scenes"
    assert topic_label("behind-the-scenes") == "Behind the scenes"
    assert resolve_topic(TOPICS, None) is None and resolve_topic(TOPICS, "  ") is None


def test_an_unknown_topic_names_the_known_ones_and_echoes_little() -> None:
    with pytest.raises(UserError, match=r"There is no quiz topic called `music`\. Topics: `behind-the-scenes`"):
        resolve_topic(TOPICS, "music", kind="quiz topic")
    with pytest.raises(UserError) as long:
        resolve_topic(TOPICS, "x" * 500)
    assert len(str(long.value)) < 200


def test_suggestions_match_slug_or_label_and_stop_at_discords_25() -> None:
    assert suggest_topics(TOPICS, "kiss") == ["the-kiss"]
    assert suggest_topics(TOPICS, "the s") == ["behind-the-scenes"]
    assert len(suggest_topics([f"t-{i}" for i in range(40)], "t")) == 25
