"""Uploads that would replace a pack, kept until the moderator confirms (or the confirmation expires)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from bot.packs.limits import UPLOADS_PER_WINDOW

__all__ = ["PENDING_PER_SERVER", "PendingUpload", "PendingUploads"]

# Each waiting upload was one of the server's uploads, so the upload limit keeps fewer than this
# waiting; the cap is per server, so one server's uploads never push out another's.
PENDING_PER_SERVER: Final = UPLOADS_PER_WINDOW


@dataclass(frozen=True, slots=True)
class PendingUpload:
    """A checked upload that replaces a pack, waiting for the moderator's Confirm."""

    guild_id: int
    filename: str
    data: bytes
    expires_at: float


class PendingUploads:
    """The waiting uploads of every server, by server and confirmation key; expired ones are dropped."""

    def __init__(self, timestamp: Callable[[], float], per_server: int = PENDING_PER_SERVER) -> None:
        self._timestamp = timestamp
        self._per_server = per_server
        self._waiting: dict[int, dict[str, PendingUpload]] = {}

    def add(self, key: str, upload: PendingUpload) -> None:
        """Keep `upload` under `key`; the server's oldest waiting upload goes when it has the most."""
        now = self._timestamp()
        for guild_id in list(self._waiting):
            kept = {k: p for k, p in self._waiting[guild_id].items() if p.expires_at >= now}
            if kept:
                self._waiting[guild_id] = kept
            else:
                del self._waiting[guild_id]
        mine = self._waiting.setdefault(upload.guild_id, {})
        while len(mine) >= self._per_server:
            mine.pop(next(iter(mine)))
        mine[key] = upload

    def take(self, guild_id: int, key: str) -> PendingUpload | None:
        """The server's upload waiting under `key`, no longer kept; None when it is not waiting."""
        mine = self._waiting.get(guild_id, {})
        upload = mine.pop(key, None)
        if not mine:
            self._waiting.pop(guild_id, None)
        return upload
