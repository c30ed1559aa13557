"""A deep copy for JSON-shaped data, several times cheaper than copy.deepcopy.

The fake copies request data (embeds, components, command definitions) into its state and out of
it again on every interaction; copy.deepcopy's memo and dispatch dominate that cost.
"""

from __future__ import annotations

import copy
from typing import Any

_ATOMIC = frozenset({str, int, float, bool, type(None)})


def json_copy(value: Any) -> Any:
    """Fresh dicts and lists all the way down; strings, numbers, bools and None are shared
    (immutable). Anything else (a tuple, a dict subclass...) goes through copy.deepcopy.

    Unlike deepcopy it does not preserve aliasing inside `value` (an object reached twice is
    copied twice), which parsed JSON never has.
    """
    kind = type(value)
    # Leaves are tested inline: a call per string or number would cost as much as the copy.
    if kind is dict:
        return {key: item if type(item) in _ATOMIC else json_copy(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _ATOMIC else json_copy(item) for item in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)
