"""Uploads waiting for a Replace confirmation: kept per server, dropped when taken or expired."""

from __future__ import annotations

from bot.packs.pending import PENDING_PER_SERVER, PendingUpload, PendingUploads

BUSY, QUIET = 1, 2


def waiting(guild_id: int, expires_at: float = 100.0) -> PendingUpload:
    return PendingUpload(guild_id, "pack.toml", b"data", expires_at)


def test_one_servers_uploads_never_push_out_anothers() -> None:
    pending = PendingUploads(lambda: 0.0)
    pending.add("quiet", waiting(QUIET))
    for n in range(PENDING_PER_SERVER * 20):
        pending.add(f"busy-{n}", waiting(BUSY))
    assert pending.take(QUIET, "quiet") == waiting(QUIET)
    # The busy server keeps its newest ones.
    assert pending.take(BUSY, "busy-0") is None
    assert pending.take(BUSY, f"busy-{PENDING_PER_SERVER * 20 - 1}") is not None


def test_an_upload_is_taken_once_only_by_its_server_and_expires() -> None:
    now = [0.0]
    pending = PendingUploads(lambda: now[0])
    pending.add("a", waiting(BUSY, expires_at=10.0))
    assert pending.take(QUIET, "a") is None  # another server's key
    assert pending.take(BUSY, "a") is not None and pending.take(BUSY, "a") is None
    pending.add("b", waiting(BUSY, expires_at=10.0))
    now[0] = 11.0
    pending.add("c", waiting(QUIET, expires_at=70.0))
    assert pending.take(BUSY, "b") is None
