"""At start-up the bot logs its invite link once, and per server what it lacks in its channels."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from bot.guild_settings import Setting
from bot.permissions import INVITE_PERMISSIONS
from tests.fakediscord import eventually


def _invite_links(caplog) -> list[str]:
    return [r.getMessage().rsplit(" ", 1)[1] for r in caplog.records if r.getMessage().startswith("invite link")]


async def test_the_invite_link_is_logged_once_per_start_with_the_application_id(fake, world, botctl, caplog) -> None:
    caplog.set_level(logging.INFO)
    await botctl.start()
    (link,) = _invite_links(caplog)
    query = parse_qs(urlsplit(link).query)
    assert query["client_id"] == [str(fake.application_id)]
    assert query["permissions"] == [str(INVITE_PERMISSIONS.value)]
    assert query["scope"] == ["bot applications.commands"]
    await botctl.restart()
    assert _invite_links(caplog) == [link, link]


async def test_a_configured_channel_the_bot_cannot_post_in_is_logged_per_server(fake, world, botctl, caplog) -> None:
    caplog.set_level(logging.INFO)
    locked = world.guild.add_text_channel("locked", bot_permissions=["view_channel", "send_messages"])
    other = fake.add_guild("Scranton Branch")
    fine = other.add_text_channel("bot-corner")
    bot = await botctl.start()
    await bot.repos.servers.change(
        world.guild.id, {Setting.BOT_CHANNEL: locked.id, Setting.DAILY_FACT_CHANNEL: 999_999_999_999_999_999}, None
    )
    await bot.repos.servers.change(other.id, {Setting.BOT_CHANNEL: fine.id}, None)
    caplog.clear()

    await botctl.restart()

    def problems() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "bot.startup_report" and r.levelno > logging.INFO]

    # As a set: on a slow machine the first start's own report can still be running when the
    # settings change, and then logs the same lines once more.
    await eventually(lambda: len(set(problems())) >= 2, what="the channel problems to be logged")
    assert sorted(set(problems())) == [
        f"server 'Dunder Mifflin Fans' (id {world.guild.id}): Bot channel: the bot lacks Embed Links in "
        f"#locked (id {locked.id})",
        f"server 'Dunder Mifflin Fans' (id {world.guild.id}): Fact of the day channel: channel "
        "999999999999999999 no longer exists; set another with /config",
    ]
