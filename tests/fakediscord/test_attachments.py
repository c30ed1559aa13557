"""Attachment options: the file reaches discord.py as an Attachment, and the fake's CDN serves it
at the signed URL like Discord's (type, size, 404 for a wrong link or an unknown file)."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from .fake import FakeDiscord
from .harness import running
from .interactions import ATTACHMENT_SIZE_LIMIT, InvocationError


@pytest.fixture
def bot(make_bot) -> discord.Client:
    bot = make_bot()
    bot.seen = {}  # type: ignore[attr-defined]

    @bot.tree.command(description="Read a file")
    async def read(interaction: discord.Interaction, file: discord.Attachment) -> None:
        bot.seen["file"] = (file.filename, file.size, file.content_type, await file.read())
        await interaction.response.send_message(f"read {file.size} bytes", ephemeral=True)

    return bot


async def test_an_attached_file_reaches_the_command_and_is_served(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    general, alice = guild.channel("general"), guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        file = fake.attach(general, "my pack.toml", b"[pack]\n")
        rec = await fake.invoke(guild, general, alice, "read", file=file)
        assert (await rec.response()).type == 4
        assert bot.seen["file"] == ("my pack.toml", 7, "application/toml", b"[pack]\n")
        assert rec.payload["data"]["resolved"]["attachments"][str(file.id)]["ephemeral"] is True
        assert file.downloads == 1
    fake.assert_no_rejections()


async def test_the_cdn_refuses_a_wrong_link_and_an_unknown_file(fake: FakeDiscord) -> None:
    general = fake.guilds[0].channel("general")
    file = fake.attach(general, "notes.txt", b"hello")
    async with aiohttp.ClientSession() as session:
        async with session.get(file.url) as response:
            assert response.status == 200 and await response.read() == b"hello"
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert response.headers["Content-Length"] == "5"
        for url in (
            file.url.replace("hm=", "hm=0"),  # tampered signature
            file.url.split("?")[0],  # unsigned
            file.url.replace(str(file.id), str(file.id + 1)),  # another file
            file.url.replace("notes.txt", "other.txt"),
        ):
            async with session.get(url) as response:
                assert response.status == 404, url
                assert await response.text() == "This content is no longer available."
    assert file.downloads == 1


async def test_the_client_refuses_a_file_over_the_limit_or_from_elsewhere(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    general, alice = guild.channel("general"), guild.member_named("alice")
    other = guild.add_text_channel("other")
    async with running(bot, fake):
        await bot.tree.sync()
        with pytest.raises(InvocationError, match="over the"):
            big = fake.attach(general, "big.bin", b"x" * (ATTACHMENT_SIZE_LIMIT + 1))
            await fake.invoke(guild, general, alice, "read", file=big)
        with pytest.raises(InvocationError, match="another channel"):
            await fake.invoke(guild, general, alice, "read", file=fake.attach(other, "a.txt", b"x"))
        with pytest.raises(InvocationError, match="needs a file"):
            await fake.invoke(guild, general, alice, "read", file="a.txt")
