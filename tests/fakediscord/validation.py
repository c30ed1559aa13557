"""Discord's limits on message bodies, embeds, allowed_mentions, autocomplete results and modals.

Limits: https://discord.com/developers/docs/resources/message#create-message and
https://discord.com/developers/docs/resources/message#embed-object-embed-limits
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .components import validate_message_components, validate_modal_components
from .errors import FormErrors, PathPart
from .messages import FLAG_IS_COMPONENTS_V2
from .rules import (
    bad_length,
    choices,
    is_int,
    is_number,
    is_string,
    is_well_formed_url,
    max_length,
    number_range,
    required,
)

CONTENT_MAX = 2000  # bots: 2000 characters (the 4000 in the spec is for Nitro users)
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_TEXT_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_TOTAL_MAX = 6000  # title + description + field names/values + footer text + author name, all embeds
EMBED_URL_MAX = 2048
ATTACHMENTS_MAX = 10
ALLOWED_MENTION_TYPES = ("roles", "users", "everyone")
ALLOWED_MENTION_IDS_MAX = 100
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
MODAL_TITLE_MAX = 45
INT53 = 2**53

Path = tuple[PathPart, ...]


def validate_message_fields(body: dict[str, Any], errors: FormErrors, prefix: Path = ()) -> None:
    """Check every message field present in `body` (create, edit, callback data, followup)."""
    flags = body.get("flags")
    if flags is not None and not is_int(flags):
        errors.add((*prefix, "flags"), "NUMBER_TYPE_COERCE", f"Value \"{flags}\" is not int.")
        flags = 0
    v2 = bool((flags or 0) & FLAG_IS_COMPONENTS_V2)

    content = body.get("content")
    if content is not None and is_string(errors, (*prefix, "content"), content):
        max_length(errors, (*prefix, "content"), content, CONTENT_MAX)

    embeds = body.get("embeds")
    if embeds is not None:
        validate_embeds(embeds, errors, prefix)

    if v2:
        # Components v2 messages carry everything in components; content/embeds are rejected.
        for legacy in ("content", "embeds"):
            if body.get(legacy):
                errors.add((*prefix, legacy), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                           "The 'content' and 'embeds' fields cannot be used when using components v2")
    validate_message_components(body.get("components"), errors, prefix, v2=v2)

    mentions = body.get("allowed_mentions")
    if mentions is not None:
        validate_allowed_mentions(mentions, errors, (*prefix, "allowed_mentions"))

    attachments = body.get("attachments")
    if attachments is not None:
        max_length(errors, (*prefix, "attachments"), attachments, ATTACHMENTS_MAX)

    nonce = body.get("nonce")
    if nonce is not None and not (is_int(nonce) or (isinstance(nonce, str) and len(nonce) <= 25)):
        errors.add((*prefix, "nonce"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")

    poll = body.get("poll")
    if poll is not None:
        validate_poll(poll, errors, (*prefix, "poll"))


def validate_embeds(embeds: Any, errors: FormErrors, prefix: Path) -> None:
    """Per-embed limits and the 6000-character total across all embeds."""
    path = (*prefix, "embeds")
    if not isinstance(embeds, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if max_length(errors, path, embeds, EMBEDS_MAX):
        return
    total = 0
    for index, embed in enumerate(embeds):
        total += _validate_embed(embed, errors, (*path, index))
    if total > EMBED_TOTAL_MAX:
        errors.add(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _validate_embed(embed: Any, errors: FormErrors, path: Path) -> int:
    """Validate one embed; return its character count toward the 6000 total."""
    if not isinstance(embed, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return 0
    max_length(errors, (*path, "title"), embed.get("title"), EMBED_TITLE_MAX)
    max_length(errors, (*path, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
    _check_url(embed.get("url"), errors, (*path, "url"))
    color = embed.get("color")
    if color is not None:
        number_range(errors, (*path, "color"), color, 0, 0xFFFFFF)
    timestamp = embed.get("timestamp")
    if timestamp is not None:
        try:
            dt.datetime.fromisoformat(str(timestamp))
        except ValueError:
            errors.add((*path, "timestamp"), "DATE_TIME_TYPE_PARSE", "Could not parse timestamp.")
    size = _text_len(embed.get("title")) + _text_len(embed.get("description"))

    fields = embed.get("fields")
    if fields is not None and not max_length(errors, (*path, "fields"), fields, EMBED_FIELDS_MAX):
        for index, item in enumerate(fields if isinstance(fields, list) else []):
            fpath = (*path, "fields", index)
            if not isinstance(item, dict):
                errors.add(fpath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
                continue
            # Field name and value are both required and non-empty.
            if required(errors, (*fpath, "name"), item.get("name")):
                max_length(errors, (*fpath, "name"), item.get("name"), EMBED_FIELD_NAME_MAX)
            if required(errors, (*fpath, "value"), item.get("value")):
                max_length(errors, (*fpath, "value"), item.get("value"), EMBED_FIELD_VALUE_MAX)
            size += _text_len(item.get("name")) + _text_len(item.get("value"))

    footer = embed.get("footer")
    if isinstance(footer, dict):
        if required(errors, (*path, "footer", "text"), footer.get("text")):
            max_length(errors, (*path, "footer", "text"), footer.get("text"), EMBED_FOOTER_TEXT_MAX)
        _check_url(footer.get("icon_url"), errors, (*path, "footer", "icon_url"))
        size += _text_len(footer.get("text"))

    author = embed.get("author")
    if isinstance(author, dict):
        if required(errors, (*path, "author", "name"), author.get("name")):
            max_length(errors, (*path, "author", "name"), author.get("name"), EMBED_AUTHOR_NAME_MAX)
        _check_url(author.get("url"), errors, (*path, "author", "url"))
        _check_url(author.get("icon_url"), errors, (*path, "author", "icon_url"))
        size += _text_len(author.get("name"))

    for media in ("image", "thumbnail"):
        item = embed.get(media)
        if isinstance(item, dict) and required(errors, (*path, media, "url"), item.get("url")):
            _check_url(item.get("url"), errors, (*path, media, "url"))
    return size


def _check_url(url: Any, errors: FormErrors, path: Path) -> None:
    if url is None:
        return
    if not isinstance(url, str) or not is_well_formed_url(url):
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
        return
    max_length(errors, path, url, EMBED_URL_MAX)


def validate_allowed_mentions(mentions: Any, errors: FormErrors, path: Path) -> None:
    """parse values, id list sizes, and Discord's parse/list mutual exclusion."""
    if not isinstance(mentions, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    parse = mentions.get("parse")
    if parse is not None:
        if not isinstance(parse, list):
            errors.add((*path, "parse"), "BASE_TYPE_ARRAY", "Must be an array.")
            parse = []
        for index, item in enumerate(parse):
            choices(errors, (*path, "parse", index), item, ALLOWED_MENTION_TYPES)
    for key, parse_name in (("users", "users"), ("roles", "roles")):
        ids = mentions.get(key)
        if ids is None:
            continue
        if not isinstance(ids, list):
            errors.add((*path, key), "BASE_TYPE_ARRAY", "Must be an array.")
            continue
        max_length(errors, (*path, key), ids, ALLOWED_MENTION_IDS_MAX)
        for index, item in enumerate(ids):
            if not str(item).isdigit():
                errors.add((*path, key, index), "NUMBER_TYPE_COERCE", f"Value \"{item}\" is not snowflake.")
        # Discord: parse:["users"] together with a users list is an error (same for roles).
        if ids and parse and parse_name in parse:
            errors.add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                       f"parse:[\"{parse_name}\"] and {key}: [ids...] are mutually exclusive.")
    replied = mentions.get("replied_user")
    if replied is not None and not isinstance(replied, bool):
        errors.add((*path, "replied_user"), "BASE_TYPE_BOOLEAN", "Must be either true or false.")


def validate_poll(poll: Any, errors: FormErrors, path: Path) -> None:
    """Question <= 300, 1-10 answers of <= 55 characters."""
    if not isinstance(poll, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    question = poll.get("question") or {}
    if required(errors, (*path, "question", "text"), question.get("text")):
        max_length(errors, (*path, "question", "text"), question.get("text"), 300)
    answers = poll.get("answers")
    if not isinstance(answers, list) or not 1 <= len(answers) <= 10:
        errors.add((*path, "answers"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length.")
        return
    for index, answer in enumerate(answers):
        text = ((answer or {}).get("poll_media") or {}).get("text")
        max_length(errors, (*path, "answers", index, "poll_media", "text"), text, 55)


def validate_autocomplete_choices(data: Any, option_type: int, errors: FormErrors, prefix: Path) -> None:
    """Callback type 8: <= 25 choices, names 1-100, values typed like the focused option."""
    path = (*prefix, "choices")
    found = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(found, list):
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if max_length(errors, path, found, AUTOCOMPLETE_CHOICES_MAX):
        return
    for index, choice in enumerate(found):
        cpath = (*path, index)
        if not isinstance(choice, dict):
            errors.add(cpath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        name = choice.get("name")
        if required(errors, (*cpath, "name"), name):
            bad_length(errors, (*cpath, "name"), name, 1, CHOICE_NAME_MAX)
        validate_choice_value(choice.get("value"), option_type, errors, (*cpath, "value"))


def validate_choice_value(value: Any, option_type: int, errors: FormErrors, path: Path) -> None:
    """A choice value must match its option's type (string <= 100, integer/number within 2^53)."""
    if option_type == 3:
        if is_string(errors, path, value):
            max_length(errors, path, value, CHOICE_STRING_VALUE_MAX)
    elif option_type == 4:
        if not is_int(value):
            errors.add(path, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.")
        else:
            number_range(errors, path, value, -INT53, INT53)
    elif option_type == 10:
        if not is_number(value):
            errors.add(path, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not a valid number.")
        else:
            number_range(errors, path, value, -INT53, INT53)


def validate_modal(data: Any, errors: FormErrors, prefix: Path) -> None:
    """Callback type 9: custom_id 1-100, title 1-45, 1-5 rows of text inputs."""
    if not isinstance(data, dict):
        errors.add(prefix, "BASE_TYPE_REQUIRED", "This field is required")
        return
    custom_id = data.get("custom_id")
    if required(errors, (*prefix, "custom_id"), custom_id):
        bad_length(errors, (*prefix, "custom_id"), custom_id, 1, 100)
    title = data.get("title")
    if required(errors, (*prefix, "title"), title):
        bad_length(errors, (*prefix, "title"), title, 1, MODAL_TITLE_MAX)
    validate_modal_components(data.get("components"), errors, prefix)
