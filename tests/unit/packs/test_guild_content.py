"""Each server's content: shipped packs it left on, its own packs, minus hidden entries; rebuilt on change."""

from __future__ import annotations

import asyncio

from bot.content import DEFAULT_CONTENT_PATH, ContentStore, EntryKind
from bot.packs import service as service_module
from bot.packs.limits import MAX_PACKS, TOO_MANY_PACKS
from bot.packs.service import GuildContent
from bot.packs.template import TEMPLATE
from bot.packs.upload import parse_upload
from bot.packs.view import compose_content
from bot.storage.packs import PackRepo
from bot.user_errors import UserError

SHIPPED = ContentStore.load(DEFAULT_CONTENT_PATH)
SHIPPED_PACK = SHIPPED.packs[0].id
GUILD, OTHER, MOD = 10, 20, 9


async def upload(service: GuildContent, repo: PackRepo, guild_id: int, text: str = TEMPLATE) -> None:
    checked = await service.check_upload(guild_id, text.encode(), "my-pack.toml")
    assert checked.pack is not None, checked.issues
    info = checked.pack
    await repo.save_pack(guild_id, info.id, info.title, checked.text, len(info.facts), len(info.questions), MOD)
    service.changed(guild_id)


async def test_a_server_that_changed_nothing_plays_the_shipped_content(db) -> None:
    service = GuildContent(SHIPPED, PackRepo(db))
    assert await service.for_guild(GUILD) is SHIPPED
    assert await service.for_guild(None) is SHIPPED


async def test_a_servers_pack_joins_its_content_only(db) -> None:
    repo = PackRepo(db)
    service = GuildContent(SHIPPED, repo)
    await service.for_guild(GUILD)  # cached before the upload: the change must drop it
    await upload(service, repo, GUILD)
    mine = await service.for_guild(GUILD)
    assert mine.fact("my-first-fact") is not None and "my-first-fact" in mine.fact_ids("filming")
    assert "trivia" in mine.topics() and "q-my-typed-question" in mine.question_ids("trivia")
    assert set(SHIPPED.fact_ids()) < set(mine.fact_ids())
    assert (await service.for_guild(OTHER)).fact("my-first-fact") is None
    # A restart reads it back from the database.
    again = await GuildContent(SHIPPED, repo).for_guild(GUILD)
    assert again.fact_ids() == mine.fact_ids()


async def test_switching_packs_off_and_hiding_entries(db) -> None:
    repo = PackRepo(db)
    service = GuildContent(SHIPPED, repo)
    await upload(service, repo, GUILD)
    await repo.set_enabled(GUILD, SHIPPED_PACK, False, MOD)
    await repo.set_hidden(GUILD, EntryKind.FACT, "my-first-fact", True, MOD)
    await repo.set_hidden(GUILD, EntryKind.QUESTION, "q-my-typed-question", True, MOD)
    service.changed(GUILD)
    content = await service.for_guild(GUILD)
    assert content.fact_ids() == ("my-contested-fact",)
    assert "trivia" not in content.topics()  # its only question is hidden
    assert "q-my-first-fact" in content.question_ids()  # a hidden fact's question is its own entry
    assert content.fact("my-first-fact") is not None  # still found by id: its question's source line
    assert not content.shows_fact("my-first-fact") and content.shows_fact("my-contested-fact")
    assert content.counts.facts == 1
    assert await service.for_guild(OTHER) is SHIPPED


async def test_a_stored_pack_that_no_longer_passes_is_left_out_and_named(db, caplog) -> None:
    repo = PackRepo(db)
    # As if stored before a shipped pack took one of its ids.
    clashing = TEMPLATE.replace('id = "my-first-fact"', f'id = "{SHIPPED.facts[0].id}"').replace(
        'fact = "my-first-fact"', f'fact = "{SHIPPED.facts[0].id}"'
    )
    await repo.save_pack(GUILD, "my-pack", "My pack", clashing, 2, 3, MOD)
    service = GuildContent(SHIPPED, repo)
    view = await service.view(GUILD)
    assert "stored pack 'my-pack' no longer passes the checks" in caplog.text
    assert view.content.fact_ids() == SHIPPED.fact_ids()
    assert "my-pack" in view.broken and "is used by the shipped pack" in str(view.broken["my-pack"][0])


def test_a_switched_off_shipped_pack_takes_its_questions_along() -> None:
    content = compose_content(SHIPPED.packs, (), {SHIPPED_PACK}, (), ())
    assert content.fact_ids() == () and content.question_ids() == ()


async def test_a_change_that_is_not_an_upload_parses_nothing_again(db, monkeypatch) -> None:
    repo = PackRepo(db)
    service = GuildContent(SHIPPED, repo)
    await upload(service, repo, GUILD)
    await service.for_guild(GUILD)
    parsed: list[str] = []
    real = service_module.parse_upload

    def counting(data: bytes, filename: str):
        parsed.append(filename)
        return real(data, filename)

    monkeypatch.setattr(service_module, "parse_upload", counting)
    await repo.set_hidden(GUILD, EntryKind.FACT, "my-first-fact", True, MOD)
    service.changed(GUILD)
    assert "my-first-fact" not in (await service.for_guild(GUILD)).fact_ids()
    assert parsed == []
    newer = TEMPLATE.replace("over five days", "over six days")
    await upload(service, repo, GUILD, newer)  # the upload's own check, and the view's parse of it
    assert (await service.for_guild(GUILD)).fact("my-first-fact").text.endswith("six days.")
    assert parsed == ["my-pack.toml"]


async def test_the_pack_cap_holds_for_uploads_in_flight_together(db) -> None:
    repo = PackRepo(db)
    service = GuildContent(SHIPPED, repo)
    for n in range(MAX_PACKS - 1):
        await repo.save_pack(GUILD, f"pack-{n:02}", "Pack", TEMPLATE, 2, 3, MOD)
    # Both were checked while the server had 19 packs; only one may be stored.
    first, second = (parse_upload(TEMPLATE.replace('id = "my-pack"', f'id = "{name}"').encode(), "x.toml")
                     for name in ("new-one", "new-two"))
    results = await asyncio.gather(
        service.store(GUILD, first, MOD), service.store(GUILD, second, MOD), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, UserError)]
    assert len(refused) == 1 and str(refused[0]) == TOO_MANY_PACKS
    assert len(await repo.pack_infos(GUILD)) == MAX_PACKS
    # Replacing one of the 20 is no new pack; another server has its own 20.
    await service.store(GUILD, parse_upload(TEMPLATE.replace('id = "my-pack"', 'id = "pack-00"').encode(), "x"), MOD)
    await service.store(OTHER, first, MOD)
    assert len(await repo.pack_infos(GUILD)) == MAX_PACKS and len(await repo.pack_infos(OTHER)) == 1


async def test_the_parse_cache_keeps_no_copy_of_the_packs_text(db) -> None:
    repo = PackRepo(db)
    service = GuildContent(SHIPPED, repo)
    await upload(service, repo, GUILD)
    view = await service.view(GUILD)
    assert [stored.toml for stored in view.state.packs] == [TEMPLATE]  # the one copy, for the view's state
    kept = service._parsed[GUILD]["my-pack"]
    assert TEMPLATE not in kept and kept[1].text == ""
