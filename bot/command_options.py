"""Check a slash command's options against the command's own definition, as Discord does.

Discord checks option types, ranges and choices before it sends an interaction, but a client that
still has last month's definitions, or a hostile one, can send anything: 1.5 for a whole number, a
string for a number, a value that is not one of the choices, an option the command does not have,
a user id that resolves to nobody. The bot checks every value itself, before any command runs,
with the same definition it syncs to Discord, so no rule is written twice. Pure: no Discord.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["check_autocomplete", "check_options"]

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11

STALE = "That command has changed since your Discord app loaded it. Reopen it (or restart Discord) and try again."

# Where Discord puts the object an id option stands for (`resolved` in the interaction).
_RESOLVED_IN: dict[int, tuple[str, ...]] = {
    USER: ("users",),
    CHANNEL: ("channels",),
    ROLE: ("roles",),
    MENTIONABLE: ("users", "roles"),
    ATTACHMENT: ("attachments",),
}
_NOT_FOUND = {
    USER: "I can't find that member any more.",
    CHANNEL: "I can't find that channel any more.",
    ROLE: "I can't find that role any more.",
    MENTIONABLE: "I can't find that member or role any more.",
    ATTACHMENT: "I can't find that file; attach it again.",
}

Definition = Mapping[str, Any]
Option = Mapping[str, Any]


def check_options(definition: Definition, options: Sequence[Option], resolved: Mapping[str, Any]) -> str | None:
    """Return what is wrong with a command's options (a sentence for the user), or None if nothing is."""
    leaf = _leaf(definition, options)
    if leaf is None:
        return STALE
    definitions, given = leaf
    by_name = {d["name"]: d for d in definitions}
    seen: set[str] = set()
    for option in given:
        name = option.get("name")
        known = by_name.get(name) if isinstance(name, str) else None
        if known is None or name in seen or option.get("type") != known["type"]:
            return STALE
        seen.add(known["name"])
        problem = _check_value(known, option.get("value"), resolved)
        if problem is not None:
            return problem
    missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in seen]
    return f"`{missing[0]}` is required. {STALE}" if missing else None


def check_autocomplete(definition: Definition, options: Sequence[Option]) -> bool:
    """Whether an autocomplete request names exactly one focused option that has autocomplete.

    The other values are what the user has typed so far, so only the shape is checked.
    """
    leaf = _leaf(definition, options)
    if leaf is None:
        return False
    definitions, given = leaf
    by_name = {d["name"]: d for d in definitions}
    focused = [o for o in given if o.get("focused")]
    if len(focused) != 1:
        return False
    known = by_name.get(focused[0].get("name"))
    return known is not None and bool(known.get("autocomplete")) and focused[0].get("type") == known["type"]


def _leaf(definition: Definition, options: Sequence[Option]) -> tuple[list[Definition], list[Option]] | None:
    """Walk down the subcommand (group) the options name: (the leaf's definitions, its options)."""
    definitions: list[Definition] = list(definition.get("options") or [])
    given: list[Option] = list(options)
    while any(d.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for d in definitions):
        if len(given) != 1:
            return None
        chosen = given[0]
        sub = next((d for d in definitions if d.get("name") == chosen.get("name")), None)
        if sub is None or sub.get("type") != chosen.get("type"):
            return None
        definitions, given = list(sub.get("options") or []), list(chosen.get("options") or [])
    if any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in given):
        return None
    return definitions, given


def _check_value(definition: Definition, value: Any, resolved: Mapping[str, Any]) -> str | None:
    name, kind = definition["name"], definition["type"]
    if kind == STRING:
        if not isinstance(value, str):
            return f"`{name}` must be text."
        low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
        if not low <= len(value) <= high:
            return f"`{name}` must be {low} to {high} characters long."
    elif kind in (INTEGER, NUMBER):
        whole = kind == INTEGER
        if not _is_number(value, whole=whole):
            return f"`{name}` must be a whole number." if whole else f"`{name}` must be a number."
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            what = "a whole number" if whole else "a number"
            return f"`{name}` must be {what} from {_show(low)} to {_show(high)}."
    elif kind == BOOLEAN:
        if not isinstance(value, bool):
            return f"`{name}` must be True or False."
    elif kind in _RESOLVED_IN:
        return _check_resolved(definition, value, resolved)
    else:
        return STALE
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        listed = ", ".join(f"`{c['value']}`" for c in choices)
        return f"`{name}` must be one of {listed}."
    return None


def _check_resolved(definition: Definition, value: Any, resolved: Mapping[str, Any]) -> str | None:
    kind = definition["type"]
    if not isinstance(value, str) or not value.isdigit():
        return STALE
    found = next((resolved[where][value] for where in _RESOLVED_IN[kind] if value in resolved.get(where, {})), None)
    if found is None:
        return _NOT_FOUND[kind]
    allowed = definition.get("channel_types")
    if kind == CHANNEL and allowed and found.get("type") not in allowed:
        return f"`{definition['name']}` can't be that kind of channel."
    return None


def _is_number(value: Any, *, whole: bool) -> bool:
    if isinstance(value, bool):
        return False  # JSON true is not a number to Discord
    if whole:
        return isinstance(value, int)
    return isinstance(value, int | float) and math.isfinite(value)


def _show(bound: float | None) -> str:
    return "any" if bound is None else f"{bound:g}"
