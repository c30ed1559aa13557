"""Stored server packs, pack switches and hidden entries: per server, replaced in place, counted changes."""

from datetime import UTC, datetime

from bot.content import EntryKind
from bot.storage.packs import PackRepo

GUILD, OTHER, MOD = 111, 222, 9


def fixed_clock() -> datetime:
    return datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


async def test_a_server_without_changes_sees_the_default(db) -> None:
    state = await PackRepo(db).guild_state(GUILD)
    assert state.is_default
    assert await PackRepo(db).pack(GUILD, "mine") is None


async def test_packs_are_stored_per_server_and_replaced_by_id(db) -> None:
    repo = PackRepo(db, fixed_clock)
    info = await repo.save_pack(GUILD, "mine", "Mine", "toml 1", 2, 1, MOD)
    assert (info.pack_id, info.facts, info.questions, info.uploaded_by) == ("mine", 2, 1, MOD)
    assert info.uploaded_at == fixed_clock()
    await repo.save_pack(GUILD, "mine", "Mine again", "toml 2", 3, 0, MOD + 1)
    await repo.save_pack(GUILD, "another", "Another", "toml 3", 1, 1, MOD)
    stored = await repo.pack(GUILD, "mine")
    assert stored is not None and stored.toml == "toml 2" and stored.info.title == "Mine again"
    assert stored.info.uploaded_by == MOD + 1
    assert [i.pack_id for i in await repo.pack_infos(GUILD)] == ["another", "mine"]
    assert await repo.pack_infos(OTHER) == []
    assert (await repo.guild_state(OTHER)).is_default


async def test_removing_a_pack_also_drops_its_switch(db) -> None:
    repo = PackRepo(db)
    await repo.save_pack(GUILD, "mine", "Mine", "toml", 1, 0, MOD)
    assert await repo.set_enabled(GUILD, "mine", False, MOD)
    assert await repo.remove_pack(GUILD, "mine")
    assert not await repo.remove_pack(GUILD, "mine")
    assert (await repo.guild_state(GUILD)).is_default


async def test_switches_and_hidden_entries_count_only_real_changes(db) -> None:
    repo = PackRepo(db)
    assert await repo.set_enabled(GUILD, "casino-night", False, MOD)
    assert not await repo.set_enabled(GUILD, "casino-night", False, MOD)
    assert await repo.set_hidden(GUILD, EntryKind.FACT, "f1", True, MOD)
    assert not await repo.set_hidden(GUILD, EntryKind.FACT, "f1", True, MOD)
    assert await repo.set_hidden(GUILD, EntryKind.QUESTION, "f1", True, MOD)  # its own id space
    state = await repo.guild_state(GUILD)
    assert state.disabled == {"casino-night"}
    assert state.hidden == {(EntryKind.FACT, "f1"), (EntryKind.QUESTION, "f1")}
    assert (await repo.guild_state(OTHER)).is_default
    assert await repo.set_hidden(GUILD, EntryKind.FACT, "f1", False, MOD)
    assert not await repo.set_hidden(GUILD, EntryKind.FACT, "f1", False, MOD)
    assert await repo.set_enabled(GUILD, "casino-night", True, MOD)
    assert not await repo.set_enabled(GUILD, "casino-night", True, MOD)
    assert (await repo.guild_state(GUILD)).hidden == {(EntryKind.QUESTION, "f1")}
