"""Message and modal component validation (https://discord.com/developers/docs/components/reference).

Field paths and limits follow Discord; the `code` strings Discord uses for the component-specific
rules are not all documented, so those are best-effort names in Discord's style.
"""

from __future__ import annotations

from typing import Any

from .errors import FormErrors, PathPart
from .rules import (
    bad_length,
    choices,
    is_int,
    is_well_formed_url,
    max_length,
    number_range,
    required,
)

ACTION_ROW = 1
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
USER_SELECT = 5
ROLE_SELECT = 6
MENTIONABLE_SELECT = 7
CHANNEL_SELECT = 8
SECTION = 9
TEXT_DISPLAY = 10
THUMBNAIL = 11
MEDIA_GALLERY = 12
FILE = 13
SEPARATOR = 14
CONTAINER = 17
LABEL = 18

SELECT_TYPES = frozenset({STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT})
BUTTON_STYLES = (1, 2, 3, 4, 5, 6)
LINK_STYLE = 5
PREMIUM_STYLE = 6

MAX_ACTION_ROWS = 5  # legacy messages: up to 5 action rows
MAX_ROW_WIDTH = 5  # an action row holds up to 5 buttons, or a single select
MAX_V2_COMPONENTS = 40  # IS_COMPONENTS_V2 messages: up to 40 components in total, nested included
MAX_TEXT_DISPLAY_TOTAL = 4000
MAX_SELECT_OPTIONS = 25
MAX_MODAL_COMPONENTS = 5

Path = tuple[PathPart, ...]


class _Context:
    """Per-message state: custom_ids seen (they must be unique) and component counts."""

    def __init__(self, errors: FormErrors) -> None:
        self.errors = errors
        self.custom_ids: set[str] = set()
        self.count = 0
        self.text_total = 0


def validate_message_components(
    components: Any, errors: FormErrors, prefix: Path, *, v2: bool
) -> None:
    """Validate a message's `components` (legacy action rows, or the v2 layout when flagged)."""
    path = (*prefix, "components")
    if components is None:
        return
    if not isinstance(components, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    ctx = _Context(errors)
    if not v2 and len(components) > MAX_ACTION_ROWS:
        max_length(errors, path, components, MAX_ACTION_ROWS)
    allowed_top = (
        (ACTION_ROW, SECTION, TEXT_DISPLAY, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER) if v2 else (ACTION_ROW,)
    )
    for index, component in enumerate(components):
        _validate_component(component, ctx, (*path, index), allowed_top)
    if v2 and ctx.count > MAX_V2_COMPONENTS:
        errors.add(path, "COMPONENTS_TOO_MANY", f"Must be {MAX_V2_COMPONENTS} or fewer components in total.")
    if ctx.text_total > MAX_TEXT_DISPLAY_TOTAL:
        errors.add(path, "COMPONENT_TEXT_DISPLAY_TOTAL_LENGTH_EXCEEDED",
                   f"Total text display content must be {MAX_TEXT_DISPLAY_TOTAL} or fewer in length.")


def validate_modal_components(components: Any, errors: FormErrors, prefix: Path) -> None:
    """Validate a modal's components: rows holding one text input, labels, or text displays."""
    path = (*prefix, "components")
    if not isinstance(components, list) or not components:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    ctx = _Context(errors)
    if len(components) > MAX_MODAL_COMPONENTS:
        max_length(errors, path, components, MAX_MODAL_COMPONENTS)
    for index, component in enumerate(components):
        _validate_component(component, ctx, (*path, index), (ACTION_ROW, LABEL, TEXT_DISPLAY), modal=True)


def _validate_component(
    component: Any, ctx: _Context, path: Path, allowed: tuple[int, ...], *, modal: bool = False
) -> None:
    errors = ctx.errors
    if not isinstance(component, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    ctx.count += 1
    kind = component.get("type")
    if kind not in allowed:
        errors.add((*path, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {set(allowed)}.")
        return
    if kind == ACTION_ROW:
        _validate_row(component, ctx, path, modal=modal)
    elif kind == BUTTON:
        _validate_button(component, ctx, path)
    elif kind in SELECT_TYPES:
        _validate_select(component, ctx, path)
    elif kind == TEXT_INPUT:
        _validate_text_input(component, ctx, path, in_label=False)
    elif kind == TEXT_DISPLAY:
        content = component.get("content")
        if required(errors, (*path, "content"), content):
            bad_length(errors, (*path, "content"), content, 1, MAX_TEXT_DISPLAY_TOTAL)
            if isinstance(content, str):
                ctx.text_total += len(content)
    elif kind == SECTION:
        texts = component.get("components")
        if not isinstance(texts, list) or not 1 <= len(texts) <= 3:
            errors.add((*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 3 in length.")
        else:
            for index, child in enumerate(texts):
                _validate_component(child, ctx, (*path, "components", index), (TEXT_DISPLAY,))
        accessory = component.get("accessory")
        if required(errors, (*path, "accessory"), accessory):
            _validate_component(accessory, ctx, (*path, "accessory"), (BUTTON, THUMBNAIL))
    elif kind == CONTAINER:
        children = component.get("components")
        if required(errors, (*path, "components"), children) and isinstance(children, list):
            for index, child in enumerate(children):
                _validate_component(child, ctx, (*path, "components", index),
                                    (ACTION_ROW, TEXT_DISPLAY, SECTION, MEDIA_GALLERY, SEPARATOR, FILE))
    elif kind == MEDIA_GALLERY:
        items = component.get("items")
        if not isinstance(items, list) or not 1 <= len(items) <= 10:
            errors.add((*path, "items"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length.")
    elif kind == LABEL:
        label = component.get("label")
        if required(errors, (*path, "label"), label):
            bad_length(errors, (*path, "label"), label, 1, 45)
        max_length(errors, (*path, "description"), component.get("description"), 100)
        inner = component.get("component")
        if required(errors, (*path, "component"), inner) and isinstance(inner, dict):
            if inner.get("type") == TEXT_INPUT:
                ctx.count += 1
                _validate_text_input(inner, ctx, (*path, "component"), in_label=True)
            else:
                _validate_component(inner, ctx, (*path, "component"), tuple(SELECT_TYPES))
                if inner.get("disabled"):
                    # Discord: "using disabled in a modal will result in an error".
                    errors.add((*path, "component", "disabled"), "COMPONENT_DISABLED_NOT_ALLOWED_IN_MODAL",
                               "A select in a modal cannot be disabled")


def _validate_row(row: dict[str, Any], ctx: _Context, path: Path, *, modal: bool) -> None:
    errors = ctx.errors
    children = row.get("components")
    child_path = (*path, "components")
    if not isinstance(children, list) or not 1 <= len(children) <= MAX_ROW_WIDTH:
        # Discord: an action row holds 1-5 components.
        errors.add(child_path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_ROW_WIDTH} in length.")
        if not isinstance(children, list):
            return
    allowed: tuple[int, ...] = (TEXT_INPUT,) if modal else (BUTTON, *sorted(SELECT_TYPES))
    for index, child in enumerate(children):
        _validate_component(child, ctx, (*child_path, index), allowed)
    # A select (or a modal text input) takes the whole width of its row.
    wide = [c for c in children if isinstance(c, dict) and c.get("type") in (*SELECT_TYPES, TEXT_INPUT)]
    if wide and len(children) > 1:
        errors.add(child_path, "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                   "The specified component exceeds the maximum width")


def _claim_custom_id(component: dict[str, Any], ctx: _Context, path: Path) -> None:
    custom_id = component.get("custom_id")
    if not required(ctx.errors, (*path, "custom_id"), custom_id):
        return
    if bad_length(ctx.errors, (*path, "custom_id"), custom_id, 1, 100):
        return
    # custom_ids must be unique within one message (or modal).
    if custom_id in ctx.custom_ids:
        ctx.errors.add((*path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED",
                       "Component custom id cannot be duplicated")
    ctx.custom_ids.add(custom_id)


def _validate_button(button: dict[str, Any], ctx: _Context, path: Path) -> None:
    errors = ctx.errors
    style = button.get("style")
    if not required(errors, (*path, "style"), style):
        return
    if not choices(errors, (*path, "style"), style, BUTTON_STYLES):
        return
    max_length(errors, (*path, "label"), button.get("label"), 80)
    if style == LINK_STYLE:
        url = button.get("url")
        if required(errors, (*path, "url"), url):
            max_length(errors, (*path, "url"), url, 512)
            if isinstance(url, str) and not is_well_formed_url(url, allow_attachment=False):
                errors.add((*path, "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
        if button.get("custom_id") is not None:
            errors.add((*path, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                       "A link button cannot have a custom_id")
    elif style == PREMIUM_STYLE:
        required(errors, (*path, "sku_id"), button.get("sku_id"))
        for forbidden in ("custom_id", "label", "url", "emoji"):
            if button.get(forbidden) is not None:
                errors.add((*path, forbidden), "BUTTON_COMPONENT_PREMIUM_FIELD_NOT_ALLOWED",
                           f"A premium button cannot have {forbidden}")
    else:
        _claim_custom_id(button, ctx, path)
        if button.get("url") is not None:
            errors.add((*path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "Only link buttons can have a url")
    if style != PREMIUM_STYLE and not button.get("label") and not button.get("emoji"):
        errors.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji")


def _validate_select(select: dict[str, Any], ctx: _Context, path: Path) -> None:
    errors = ctx.errors
    _claim_custom_id(select, ctx, path)
    max_length(errors, (*path, "placeholder"), select.get("placeholder"), 150)
    min_values = select.get("min_values")
    max_values = select.get("max_values")
    if min_values is not None:
        number_range(errors, (*path, "min_values"), min_values, 0, 25)
    if max_values is not None:
        number_range(errors, (*path, "max_values"), max_values, 1, 25)
    low = min_values if is_int(min_values) else 1
    high = max_values if is_int(max_values) else 1
    if low > high:
        errors.add((*path, "min_values"), "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX",
                   "min_values must be less than or equal to max_values")
    if select.get("type") != STRING_SELECT:
        if "options" in select:
            errors.add((*path, "options"), "SELECT_COMPONENT_OPTIONS_NOT_ALLOWED",
                       "Only string selects have options")
        return
    options = select.get("options")
    opts_path = (*path, "options")
    if not isinstance(options, list) or not 1 <= len(options) <= MAX_SELECT_OPTIONS:
        errors.add(opts_path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_SELECT_OPTIONS} in length.")
        return
    if high > len(options):
        errors.add((*path, "max_values"), "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
                   "max_values cannot exceed the number of options")
    seen: set[str] = set()
    defaults = 0
    for index, option in enumerate(options):
        opath = (*opts_path, index)
        if not isinstance(option, dict):
            errors.add(opath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        if required(errors, (*opath, "label"), option.get("label")):
            bad_length(errors, (*opath, "label"), option.get("label"), 1, 100)
        value = option.get("value")
        if required(errors, (*opath, "value"), value):
            bad_length(errors, (*opath, "value"), value, 1, 100)
            if value in seen:
                errors.add((*opath, "value"), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                           "Select option values must be unique")
            seen.add(value)
        max_length(errors, (*opath, "description"), option.get("description"), 100)
        defaults += bool(option.get("default"))
    if defaults > high:
        errors.add(opts_path, "SELECT_COMPONENT_TOO_MANY_DEFAULTS", "More default options than max_values")


def _validate_text_input(text: dict[str, Any], ctx: _Context, path: Path, *, in_label: bool) -> None:
    errors = ctx.errors
    _claim_custom_id(text, ctx, path)
    style = text.get("style")
    if required(errors, (*path, "style"), style):
        choices(errors, (*path, "style"), style, (1, 2))
    label = text.get("label")
    if in_label:
        if label is not None:
            errors.add((*path, "label"), "TEXT_INPUT_LABEL_NOT_ALLOWED",
                       "A text input inside a label component cannot have its own label")
    elif required(errors, (*path, "label"), label):
        bad_length(errors, (*path, "label"), label, 1, 45)
    max_length(errors, (*path, "value"), text.get("value"), 4000)
    max_length(errors, (*path, "placeholder"), text.get("placeholder"), 100)
    if text.get("min_length") is not None:
        number_range(errors, (*path, "min_length"), text.get("min_length"), 0, 4000)
    if text.get("max_length") is not None:
        number_range(errors, (*path, "max_length"), text.get("max_length"), 1, 4000)
