"""What the fake hands out is a copy: tests and the bot cannot change its stored state through it
(json_copy, and the places that skip copying because the payload is only serialised)."""

from __future__ import annotations

import json

from .commands import CommandRegistry
from .jsoncopy import json_copy
from .messages import MessageState, StoredMessage, normalise_embeds, number_components
from .snowflakes import SnowflakeFactory
from .world import User, World


def _containers(value: object) -> list[object]:
    found: list[object] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += _containers(item)
    elif isinstance(value, list):
        found.append(value)
        for item in value:
            found += _containers(item)
    return found


def test_json_copy_is_deep_and_shares_only_immutable_leaves() -> None:
    original = {"a": [1, 2.5, {"b": None, "c": [True, "x"]}], "d": {"e": {}}, "f": (1, [2])}
    copied = json_copy(original)
    assert copied == original
    assert not {id(c) for c in _containers(copied)} & {id(c) for c in _containers(original)}
    assert copied["f"] is not original["f"] and copied["f"][1] is not original["f"][1]  # deepcopy fallback
    copied["a"][2]["c"].append("y")
    assert original["a"][2]["c"] == [True, "x"]


def _message() -> StoredMessage:
    ids = SnowflakeFactory()
    world = World(ids, User(ids.next(), "bot", bot=True), lambda *_, **__: None)
    channel = world.add_guild("g").add_text_channel("general")
    body = json.loads('{"embeds": [{"title": "t", "fields": [{"name": "n", "value": "v"}], "footer": null}],'
                      ' "components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "go"}]}]}')
    state = MessageState(embeds=normalise_embeds(body["embeds"]), components=number_components(body["components"]),
                         attachments=[{"id": "1", "filename": "a.txt"}])
    assert "id" not in body["components"][0]  # numbering works on a copy, not on the request body
    assert "type" not in body["embeds"][0]
    return StoredMessage(id=ids.next(), channel=channel, author=world.bot_user, state=state)


def test_message_payload_is_a_copy_unless_only_serialised() -> None:
    message = _message()
    before = json.dumps(message.payload())
    assert json.dumps(message.payload(copy_state=False)) == before
    payload = message.payload()
    payload["embeds"][0]["fields"][0]["value"] = "changed"
    payload["components"][0]["components"][0]["disabled"] = True
    payload["attachments"][0]["filename"] = "b.txt"
    assert json.dumps(message.payload()) == before
    assert message.component("go").get("disabled") is None


def test_registry_lookups_return_copies() -> None:
    ids = SnowflakeFactory()
    registry = CommandRegistry(ids, application_id=1)
    registry.overwrite(None, [{"name": "fact", "description": "d",
                               "options": [{"type": 3, "name": "topic", "description": "t"}]}])
    found = registry.find("fact", guild_id=None)
    assert found is not None
    found["options"][0]["name"] = "changed"
    assert registry.commands()[0]["options"][0]["name"] == "topic"
