"""Primitive field checks that record errors in Discord's wording (BASE_TYPE_* codes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from .errors import FormErrors, PathPart

Path = Sequence[PathPart]


def is_int(value: Any) -> bool:
    """An int that is not a bool (JSON true is not a number to Discord)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """An int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def required(errors: FormErrors, path: Path, value: Any) -> bool:
    """Record BASE_TYPE_REQUIRED when missing or empty; True when present."""
    if value is None or value == "" or value == []:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return False
    return True


def is_string(errors: FormErrors, path: Path, value: Any) -> bool:
    """Record BASE_TYPE_STRING unless `value` is a str."""
    if isinstance(value, str):
        return True
    errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
    return False


def max_length(errors: FormErrors, path: Path, value: Any, limit: int) -> bool:
    """Record BASE_TYPE_MAX_LENGTH when a str/list is longer than `limit`; True when it fails."""
    if value is None:
        return False
    if not isinstance(value, (str, list)):
        if isinstance(value, dict):
            errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
            return True
        return False
    if len(value) > limit:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        return True
    return False


def bad_length(errors: FormErrors, path: Path, value: Any, low: int, high: int) -> bool:
    """Record BASE_TYPE_BAD_LENGTH outside [low, high]; True when it fails."""
    if not isinstance(value, (str, list)):
        errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
        return True
    if not low <= len(value) <= high:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")
        return True
    return False


def choices(errors: FormErrors, path: Path, value: Any, allowed: Sequence[Any]) -> bool:
    """Record BASE_TYPE_CHOICES unless `value` is one of `allowed`; True when valid."""
    if value in allowed and not isinstance(value, bool):
        return True
    rendered = "(" + ", ".join(repr(a) for a in allowed) + ")"
    errors.add(path, "BASE_TYPE_CHOICES", f"Value must be one of {rendered}.")
    return False


def number_range(errors: FormErrors, path: Path, value: Any, low: float, high: float) -> bool:
    """Record NUMBER_TYPE_MIN/MAX (or a type error) outside [low, high]; True when valid."""
    if not is_number(value):
        errors.add(path, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.")
        return False
    if value < low:
        errors.add(path, "NUMBER_TYPE_MIN", f"Must be greater than or equal to {low}.")
        return False
    if value > high:
        errors.add(path, "NUMBER_TYPE_MAX", f"Must be less than or equal to {high}.")
        return False
    return True


def is_well_formed_url(url: str, *, allow_attachment: bool = True) -> bool:
    """Discord accepts http(s) URLs (and attachment://name for embed media)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return allow_attachment and parts.scheme == "attachment" and bool(parts.netloc or parts.path)
