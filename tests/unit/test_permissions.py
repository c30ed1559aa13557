"""The invite asks for exactly what the bot checks it has in channels and threads."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord

import bot
from bot.permissions import INVITE_PERMISSIONS, INVITE_SCOPES, invite_url, missing_channel_permissions

README = Path(bot.__file__).parents[1] / "README.md"


def test_the_invite_permissions_are_exactly_what_channels_and_threads_need() -> None:
    nothing = discord.Permissions.none()
    in_channel = missing_channel_permissions(nothing, is_thread=False)
    needed = [*in_channel, *missing_channel_permissions(nothing, is_thread=True)]
    assert discord.Permissions(**dict.fromkeys(needed, True)) == INVITE_PERMISSIONS
    assert missing_channel_permissions(INVITE_PERMISSIONS, is_thread=False) == []
    assert missing_channel_permissions(INVITE_PERMISSIONS, is_thread=True) == []


def test_the_invite_link_carries_the_application_scopes_and_permissions() -> None:
    url = urlsplit(invite_url(123456789012345678))
    assert (url.scheme, url.netloc, url.path) == ("https", "discord.com", "/oauth2/authorize")
    query = parse_qs(url.query)
    assert query == {
        "client_id": ["123456789012345678"],
        "scope": [" ".join(INVITE_SCOPES)],
        "permissions": [str(INVITE_PERMISSIONS.value)],
    }


def test_the_readme_gives_the_same_permissions() -> None:
    text = README.read_text(encoding="utf-8")
    assert set(re.findall(r"permissions(?:=| integer `)(\d+)", text)) == {str(INVITE_PERMISSIONS.value)}
