"""Each server's content, built from its stored packs and switches, cached until one of them changes.

A server's commands all reach one process (its shard's), so the cache is dropped in the process that
made the change and nowhere else needs telling; a restart builds it again from the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final

from bot.content import ContentIssue, ContentStore, EntryKind, Pack
from bot.packs.limits import MAX_PACKS, TOO_MANY_PACKS
from bot.packs.upload import Owner, TakenIds, UploadCheck, check_against, check_upload, parse_upload
from bot.packs.view import compose_content
from bot.storage.packs import GuildPackState, PackRepo, StoredPackInfo
from bot.user_errors import UserError

__all__ = ["GuildContent", "GuildView"]

log = logging.getLogger(__name__)

CACHED_VIEWS: Final = 1_000  # servers with packs or switches of their own kept built in memory


@dataclass(frozen=True, slots=True)
class GuildView:
    """What one server sees, and the packs behind it."""

    content: ContentStore
    state: GuildPackState
    packs: MappingProxyType[str, Pack] = field(default_factory=lambda: MappingProxyType({}))  # its own, by id
    # Stored packs that no longer pass the checks (a newer shipped pack took one of their ids).
    broken: MappingProxyType[str, tuple[ContentIssue, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def infos(self) -> tuple[StoredPackInfo, ...]:
        return tuple(stored.info for stored in self.state.packs)


class GuildContent:
    """The content store of each server (the shipped one for servers that changed nothing)."""

    def __init__(self, shipped: ContentStore, repo: PackRepo, *, cached: int = CACHED_VIEWS) -> None:
        self.shipped = shipped
        self._repo = repo
        self._cached = cached
        self._views: OrderedDict[int, GuildView] = OrderedDict()
        self._loading: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        # One store at a time per server, so the pack cap is counted and kept in one step (a
        # server's commands all reach this process). Weak: a lock lives while someone holds it.
        self._storing: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        # Bumped by every change: a view built from what was read before a change is not kept.
        self._generation: defaultdict[int, int] = defaultdict(int)
        self._default_view = GuildView(shipped, GuildPackState((), frozenset(), frozenset()))
        # Each server's stored packs as parsed, by pack id, with a digest of the TOML they were
        # parsed from: hiding an entry or switching a pack rebuilds the view without parsing every
        # pack again. A digest and no text (the view's state holds the TOML once already).
        self._parsed: dict[int, dict[str, tuple[bytes, UploadCheck]]] = {}

    async def for_guild(self, guild_id: int | None) -> ContentStore:
        """The content a server plays from (direct messages: the shipped content)."""
        if guild_id is None:
            return self.shipped
        return (await self.view(guild_id)).content

    async def view(self, guild_id: int) -> GuildView:
        """The server's view, read and built on first use."""
        view = self._views.get(guild_id)
        if view is not None:
            self._views.move_to_end(guild_id)
            return view
        async with self._loading[guild_id]:
            built = self._views.get(guild_id) or await self._load(guild_id)
        self._loading.pop(guild_id, None)
        return built

    async def _load(self, guild_id: int) -> GuildView:
        generation = self._generation[guild_id]
        state = await self._repo.guild_state(guild_id)
        parsed: dict[str, tuple[bytes, UploadCheck]] = {}
        if state.is_default:
            view = self._default_view
        else:
            # Parsing is CPU work (up to 20 packs of 256 KiB): off the event loop.
            view, parsed = await asyncio.to_thread(self._build, guild_id, state, self._parsed.get(guild_id, {}))
        if generation == self._generation[guild_id]:  # else a change came meanwhile: not kept
            self._parsed[guild_id] = parsed
            self._remember(guild_id, view)
        return view

    def changed(self, guild_id: int) -> None:
        """The server's packs, switches or hidden entries changed: build its view again on next use."""
        self._generation[guild_id] += 1
        self._views.pop(guild_id, None)

    async def set_hidden(self, guild_id: int, kind: EntryKind, entry_id: str, hidden: bool, by: int) -> bool:
        """Hide an entry in the server (or show it again) from its next command on; True if that
        changed anything."""
        changed = await self._repo.set_hidden(guild_id, kind, entry_id, hidden, by)
        if changed:
            self.changed(guild_id)
            log.info("guild %s: user %s %s %s %s", guild_id, by, "hid" if hidden else "showed", kind.value, entry_id)
        return changed

    async def store(self, guild_id: int, check: UploadCheck, uploaded_by: int) -> StoredPackInfo:
        """Store a checked pack, replacing the server's pack of that id; a UserError when it would
        be one pack more than the server may keep (counted here, not when the upload was checked:
        another upload or a removal may have come in between)."""
        pack = check.pack
        if pack is None:
            raise ValueError("only a pack that passed its checks is stored")
        lock = self._storing.get(guild_id)
        if lock is None:
            lock = self._storing[guild_id] = asyncio.Lock()
        async with lock:
            stored = {info.pack_id for info in await self._repo.pack_infos(guild_id)}
            if pack.id not in stored and len(stored) >= MAX_PACKS:
                raise UserError(TOO_MANY_PACKS)
            info = await self._repo.save_pack(
                guild_id, pack.id, pack.title, check.text, len(pack.facts), len(pack.questions), uploaded_by
            )
            self.changed(guild_id)
        return info

    async def check_upload(self, guild_id: int, data: bytes, filename: str) -> UploadCheck:
        """Check an uploaded pack against the shipped packs and the server's own (off the event loop)."""
        view = await self.view(guild_id)
        taken = TakenIds.of(self.shipped.packs, view.packs.values())
        return await asyncio.to_thread(check_upload, data, filename, taken)

    def entry_kinds(self, content: ContentStore, entry_id: str) -> list[EntryKind]:
        """What `entry_id` names in this content: a fact, a question, both or neither."""
        kinds = []
        if content.fact(entry_id) is not None:
            kinds.append(EntryKind.FACT)
        if content.question(entry_id) is not None:
            kinds.append(EntryKind.QUESTION)
        return kinds

    def _build(
        self, guild_id: int, state: GuildPackState, before: Mapping[str, tuple[bytes, UploadCheck]]
    ) -> tuple[GuildView, dict[str, tuple[bytes, UploadCheck]]]:
        """Check the server's stored packs again (the validator may be newer) and compose its store.

        Runs in a worker thread: it only reads `before` (the packs parsed last time) and returns
        what it parsed, for the event loop to keep."""
        taken = TakenIds.of(self.shipped.packs, ())
        packs: dict[str, Pack] = {}
        broken: dict[str, tuple[ContentIssue, ...]] = {}
        parsed: dict[str, tuple[bytes, UploadCheck]] = {}
        for stored in state.packs:
            pack_id = stored.info.pack_id
            data = stored.toml.encode()
            digest = hashlib.sha256(data).digest()
            known = before.get(pack_id)
            if known is None or known[0] != digest:
                known = (digest, replace(parse_upload(data, f"{pack_id}.toml"), text=""))  # only its pack is used
            parsed[pack_id] = known
            checked = check_against(known[1], taken)
            if checked.pack is None:
                log.warning(
                    "guild %s: stored pack %r no longer passes the checks (%d problems; first: %s); left out",
                    guild_id,
                    stored.info.pack_id,
                    len(checked.issues),
                    checked.issues[0] if checked.issues else "?",
                )
                broken[stored.info.pack_id] = checked.issues
                continue
            packs[checked.pack.id] = checked.pack
            taken.add(checked.pack, Owner(checked.pack.id, shipped=False))
        hidden_facts = {entry for kind, entry in state.hidden if kind is EntryKind.FACT}
        hidden_questions = {entry for kind, entry in state.hidden if kind is EntryKind.QUESTION}
        server_packs = list(packs.values())
        content = compose_content(self.shipped.packs, server_packs, state.disabled, hidden_facts, hidden_questions)
        return GuildView(content, state, MappingProxyType(packs), MappingProxyType(broken)), parsed

    def _remember(self, guild_id: int, view: GuildView) -> None:
        self._views[guild_id] = view
        self._views.move_to_end(guild_id)
        if len(self._views) > self._cached:
            evicted, _ = self._views.popitem(last=False)
            self._parsed.pop(evicted, None)
