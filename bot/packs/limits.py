"""The limits that keep one server's packs from hurting the others (stated in the README and in replies)."""

from __future__ import annotations

from typing import Final

MAX_PACK_BYTES: Final = 256 * 1024  # one uploaded file; Discord's own upload limit is far above
MAX_ENTRIES: Final = 500  # facts and questions together, per pack
MAX_PACKS: Final = 20  # server packs per server
UPLOADS_PER_WINDOW: Final = 5  # uploads per server …
UPLOAD_WINDOW_SECONDS: Final = 600.0  # … in any 10 minutes


TOO_MANY_PACKS: Final = f"This server has {MAX_PACKS} packs, the most it can keep: remove one first."


def size_label(size: int) -> str:
    """A byte count as people read it: '256 KiB', '1.5 MiB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KiB" if size % 1024 == 0 else f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


LIMITS_TEXT: Final = (
    f"A pack file is at most {size_label(MAX_PACK_BYTES)} with at most {MAX_ENTRIES} facts and questions; "
    f"a server keeps at most {MAX_PACKS} packs and uploads at most {UPLOADS_PER_WINDOW} "
    f"in {UPLOAD_WINDOW_SECONDS / 60:.0f} minutes."
)
