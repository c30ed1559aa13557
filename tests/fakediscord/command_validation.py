"""Application command definition rules (https://discord.com/developers/docs/interactions/application-commands).

Field paths, limits and the BASE_TYPE_* codes follow Discord; for the command-specific rules the
code names are best-effort (Discord does not document them all), the message says what broke.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import FormErrors, PathPart
from .rules import bad_length, choices, is_int, is_number, max_length, number_range, required
from .validation import INT53, validate_choice_value

CHAT_INPUT = 1
USER = 2
MESSAGE = 3
PRIMARY_ENTRY_POINT = 4
COMMAND_TYPES = (CHAT_INPUT, USER, MESSAGE, PRIMARY_ENTRY_POINT)

SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER_OPTION = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11
OPTION_TYPES = tuple(range(1, 12))
VALUE_TYPES = frozenset(range(3, 12))
CHOICE_TYPES = frozenset({STRING, INTEGER, NUMBER})

# Discord: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ for CHAT_INPUT names and option names;
# Python's \w covers Unicode letters and digits (plus "_"), which is the same set for practical use.
NAME_PATTERN = re.compile(r"[-_'\w]{1,32}")
NAME_MAX = 32
DESCRIPTION_MAX = 100
OPTIONS_MAX = 25
CHOICES_MAX = 25
STRING_LENGTH_MAX = 6000
COMMAND_SIZE_MAX = 4000  # name + description + every option/choice name, description and value
# Per scope: 100 CHAT_INPUT, 5 USER, 5 MESSAGE (and 1 PRIMARY_ENTRY_POINT) commands.
MAX_COMMANDS_PER_TYPE = {CHAT_INPUT: 100, USER: 5, MESSAGE: 5, PRIMARY_ENTRY_POINT: 1}
CHANNEL_TYPES = (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16)
CONTEXTS = (0, 1, 2)
INTEGRATION_TYPES = (0, 1)
LOCALES = frozenset({
    "ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr", "he", "hi", "hr",
    "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE", "th", "tr", "uk",
    "vi", "zh-CN", "zh-TW",
})

Path = tuple[PathPart, ...]


def command_type(command: dict[str, Any]) -> int:
    """The command's type, CHAT_INPUT when omitted."""
    kind = command.get("type")
    return CHAT_INPUT if kind is None else kind


def validate_command_list(commands: Any, errors: FormErrors) -> None:
    """A bulk-overwrite body: each definition, unique (name, type), and the per-type caps."""
    if not isinstance(commands, list):
        errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: dict[tuple[str, int], int] = {}
    counts: dict[int, int] = {}
    for index, command in enumerate(commands):
        validate_command(command, errors, (index,))
        if not isinstance(command, dict):
            continue
        kind = command_type(command)
        key = (str(command.get("name")), kind)
        if key in seen:
            errors.add((index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME",
                       f"Application command names must be unique (also at index {seen[key]})")
        seen.setdefault(key, index)
        counts[kind] = counts.get(kind, 0) + 1
    for kind, count in counts.items():
        limit = MAX_COMMANDS_PER_TYPE.get(kind)
        if limit is not None and count > limit:
            errors.add((), "BASE_TYPE_MAX_LENGTH",
                       f"Must be {limit} or fewer in length (type {kind} commands: {count}).")


def validate_command(command: Any, errors: FormErrors, path: Path = ()) -> None:
    """One command definition."""
    if not isinstance(command, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    kind = command_type(command)
    if not choices(errors, (*path, "type"), kind, COMMAND_TYPES):
        return
    name = command.get("name")
    description = command.get("description")
    if kind == CHAT_INPUT:
        _check_name(name, errors, (*path, "name"), what="Command")
        if required(errors, (*path, "description"), description):
            bad_length(errors, (*path, "description"), description, 1, DESCRIPTION_MAX)
        _check_options(command.get("options"), errors, (*path, "options"), parent="command")
    else:
        # Context-menu names may have spaces and capitals; they take no description or options.
        if required(errors, (*path, "name"), name):
            bad_length(errors, (*path, "name"), name, 1, NAME_MAX)
        if description:
            errors.add((*path, "description"), "BASE_TYPE_MAX_LENGTH", "Must be 0 or fewer in length.")
        if command.get("options"):
            errors.add((*path, "options"), "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                       "Only CHAT_INPUT commands can have options")
    _check_localizations(command, errors, path, chat_input=kind == CHAT_INPUT)
    permissions = command.get("default_member_permissions")
    if permissions is not None and not (is_int(permissions) or str(permissions).isdigit()):
        errors.add((*path, "default_member_permissions"), "NUMBER_TYPE_COERCE",
                   f"Value \"{permissions}\" is not int.")
    for key in ("dm_permission", "nsfw"):
        value = command.get(key)
        if value is not None and not isinstance(value, bool):
            errors.add((*path, key), "BASE_TYPE_BOOLEAN", "Must be either true or false.")
    _check_enum_list(command.get("contexts"), CONTEXTS, errors, (*path, "contexts"))
    _check_enum_list(command.get("integration_types"), INTEGRATION_TYPES, errors, (*path, "integration_types"))
    if command_size(command) > COMMAND_SIZE_MAX:
        errors.add(path, "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_SIZE_MAX})")


def command_size(command: dict[str, Any]) -> int:
    """Characters counted toward Discord's 4000 per-command limit."""

    def text(value: Any) -> int:
        return len(value) if isinstance(value, str) else len(str(value)) if value is not None else 0

    def options_size(options: Any) -> int:
        total = 0
        for option in options if isinstance(options, list) else []:
            if not isinstance(option, dict):
                continue
            total += text(option.get("name")) + text(option.get("description"))
            for choice in option.get("choices") or []:
                if isinstance(choice, dict):
                    total += text(choice.get("name")) + text(choice.get("value"))
            total += options_size(option.get("options"))
        return total

    return text(command.get("name")) + text(command.get("description")) + options_size(command.get("options"))


def _check_name(name: Any, errors: FormErrors, path: Path, *, what: str) -> None:
    if not required(errors, path, name):
        return
    if bad_length(errors, path, name, 1, NAME_MAX):
        return
    # Names must match the pattern and be lowercase wherever a lowercase variant exists.
    if not NAME_PATTERN.fullmatch(name) or name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"{what} name is invalid")


def _check_localizations(item: dict[str, Any], errors: FormErrors, path: Path, *, chat_input: bool) -> None:
    for key, low, high in (("name_localizations", 1, NAME_MAX),
                           ("description_localizations", 1, DESCRIPTION_MAX)):
        localized = item.get(key)
        if localized is None:
            continue
        if not isinstance(localized, dict):
            errors.add((*path, key), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        for locale, text in localized.items():
            lpath = (*path, key, locale)
            if locale not in LOCALES:
                errors.add(lpath, "LOCALE_INVALID", f"Invalid locale {locale!r}")
                continue
            if key == "name_localizations" and chat_input:
                _check_name(text, errors, lpath, what="Localized")
            elif required(errors, lpath, text):
                bad_length(errors, lpath, text, low, high)


def _check_enum_list(values: Any, allowed: tuple[int, ...], errors: FormErrors, path: Path) -> None:
    if values is None:
        return
    if not isinstance(values, list) or not values:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 3 in length.")
        return
    for index, value in enumerate(values):
        choices(errors, (*path, index), value, allowed)
    if len(set(map(str, values))) != len(values):
        errors.add(path, "BASE_TYPE_UNIQUE", "Values must be unique.")


def _check_options(options: Any, errors: FormErrors, path: Path, *, parent: str) -> None:
    """Options of a command ("command"), a subcommand group ("group") or a subcommand ("subcommand")."""
    if options is None:
        if parent == "group":
            errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {OPTIONS_MAX} in length.")
        return
    if not isinstance(options, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if max_length(errors, path, options, OPTIONS_MAX):
        return
    if parent == "group" and not options:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {OPTIONS_MAX} in length.")
    kinds = [o.get("type") for o in options if isinstance(o, dict)]
    has_subcommands = any(k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds)
    has_values = any(k in VALUE_TYPES for k in kinds)
    names: dict[str, int] = {}
    seen_optional = False
    for index, option in enumerate(options):
        opath = (*path, index)
        if not isinstance(option, dict):
            errors.add(opath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        kind = option.get("type")
        if not required(errors, (*opath, "type"), kind) or not choices(errors, (*opath, "type"), kind,
                                                                          OPTION_TYPES):
            continue
        _check_name(option.get("name"), errors, (*opath, "name"), what="Option")
        description = option.get("description")
        if required(errors, (*opath, "description"), description):
            bad_length(errors, (*opath, "description"), description, 1, DESCRIPTION_MAX)
        _check_localizations(option, errors, opath, chat_input=True)
        name = option.get("name")
        if isinstance(name, str):
            if name in names:
                errors.add((*opath, "name"), "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                           f"Option name {name!r} is already used at index {names[name]}")
            names.setdefault(name, index)
        # Nesting: a command holds either subcommands/groups or value options; a group holds only
        # subcommands; a subcommand holds only value options.
        if parent == "command" and has_subcommands and has_values:
            errors.add((*opath, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "Sub-command and sub-command group option types are mutually exclusive to all "
                       "other types")
        elif parent == "group" and kind != SUB_COMMAND:
            errors.add((*opath, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "A sub-command group can only contain sub-commands")
        elif parent == "subcommand" and kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            errors.add((*opath, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "A sub-command cannot contain sub-commands or groups")
        if kind == SUB_COMMAND_GROUP:
            _check_options(option.get("options"), errors, (*opath, "options"), parent="group")
            continue
        if kind == SUB_COMMAND:
            _check_options(option.get("options"), errors, (*opath, "options"), parent="subcommand")
            continue
        if option.get("options"):
            errors.add((*opath, "options"), "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                       "Only sub-commands and groups have options")
        # Required options must come before optional ones.
        if option.get("required"):
            if seen_optional:
                errors.add((*opath, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID_ORDER",
                           "Required options must be placed before non-required options")
        else:
            seen_optional = True
        _check_value_option(option, kind, errors, opath)


def _check_value_option(option: dict[str, Any], kind: int, errors: FormErrors, path: Path) -> None:
    option_choices = option.get("choices")
    if option_choices is not None:
        if kind not in CHOICE_TYPES:
            errors.add((*path, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED",
                       "Only string, integer and number options can have choices")
        elif not max_length(errors, (*path, "choices"), option_choices, CHOICES_MAX):
            for index, choice in enumerate(option_choices if isinstance(option_choices, list) else []):
                cpath = (*path, "choices", index)
                if not isinstance(choice, dict):
                    errors.add(cpath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
                    continue
                if required(errors, (*cpath, "name"), choice.get("name")):
                    bad_length(errors, (*cpath, "name"), choice.get("name"), 1, 100)
                validate_choice_value(choice.get("value"), kind, errors, (*cpath, "value"))
    if option.get("autocomplete"):
        if kind not in CHOICE_TYPES:
            errors.add((*path, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_NOT_ALLOWED",
                       "Only string, integer and number options can autocomplete")
        if option_choices:
            errors.add((*path, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES_EXCLUSIVE",
                       "Autocomplete and choices are mutually exclusive")
    _check_bounds(option, kind, errors, path, "min_value", "max_value", kinds=(INTEGER, NUMBER),
                  low=-INT53, high=INT53)
    _check_bounds(option, kind, errors, path, "min_length", "max_length", kinds=(STRING,),
                  low=0, high=STRING_LENGTH_MAX)
    channel_types = option.get("channel_types")
    if channel_types is not None:
        if kind != CHANNEL:
            errors.add((*path, "channel_types"), "APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_NOT_ALLOWED",
                       "Only channel options can have channel_types")
        elif isinstance(channel_types, list):
            for index, value in enumerate(channel_types):
                choices(errors, (*path, "channel_types", index), value, CHANNEL_TYPES)


def _check_bounds(option: dict[str, Any], kind: int, errors: FormErrors, path: Path, low_key: str,
                  high_key: str, *, kinds: tuple[int, ...], low: float, high: float) -> None:
    lower, upper = option.get(low_key), option.get(high_key)
    for key, value in ((low_key, lower), (high_key, upper)):
        if value is None:
            continue
        if kind not in kinds:
            errors.add((*path, key), "APPLICATION_COMMAND_OPTION_BOUND_NOT_ALLOWED",
                       f"{key} is not allowed on option type {kind}")
            return
        if kind == INTEGER and not is_int(value):
            errors.add((*path, key), "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.")
            return
        floor = 1 if key == "max_length" else low
        if not number_range(errors, (*path, key), value, floor, high):
            return
    if is_number(lower) and is_number(upper) and lower > upper:
        errors.add((*path, low_key), "APPLICATION_COMMAND_OPTION_BOUNDS_INVALID",
                   f"{low_key} must be less than or equal to {high_key}")
