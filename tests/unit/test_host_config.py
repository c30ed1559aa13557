"""HostConfig: read from a mapping, validated once, the token never shown."""

from pathlib import Path

import pytest

from bot.host_config import DEFAULT_CONTENT_PATH, HostConfig, HostConfigError
from tests.fake_token import FAKE_TOKEN

TOKEN = FAKE_TOKEN


def test_defaults_apply_when_only_the_token_is_set(tmp_path: Path) -> None:
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN}, base_dir=tmp_path)
    assert settings.token == TOKEN
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"
    assert settings.content_path == DEFAULT_CONTENT_PATH


def test_every_setting_is_read(tmp_path: Path) -> None:
    settings = HostConfig.from_env(
        {
            "DISCORD_TOKEN": f"  {TOKEN}\n",
            "DATABASE_URL": "sqlite:////srv/bot/quiz.db",
            "DEV_GUILD_ID": "123456789012345678",
            "LOG_LEVEL": "debug",
            "CONTENT_PATH": "packs",
        },
        base_dir=tmp_path,
    )
    assert settings.token == TOKEN
    assert settings.database_url == "sqlite:////srv/bot/quiz.db"
    assert settings.dev_guild_id == 123456789012345678
    assert settings.log_level == "DEBUG"
    assert settings.content_path == tmp_path / "packs"


@pytest.mark.parametrize(
    ("env", "setting", "phrase"),
    [
        ({}, "DISCORD_TOKEN", "not set. Copy .env.example to .env"),
        ({"DISCORD_TOKEN": "   "}, "DISCORD_TOKEN", "not set"),
        ({"DISCORD_TOKEN": f"Bot {TOKEN}"}, "DISCORD_TOKEN", "without the 'Bot ' prefix"),
        ({"DISCORD_TOKEN": "not-a-token"}, "DISCORD_TOKEN", "does not look like a bot token"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "mysql://x/bot"}, "DATABASE_URL", "must look like"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "postgresql://bot@db"}, "DATABASE_URL", "name the database"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "postgresql://bot@db:x/bot"}, "DATABASE_URL", "must be a number"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "sqlite:///"}, "DATABASE_URL", "must look like"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "my-server"}, "DEV_GUILD_ID", "must be a server id"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "12"}, "DEV_GUILD_ID", "must be a server id"),
        ({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "loud"}, "LOG_LEVEL", "must be one of DEBUG"),
    ],
)
def test_bad_settings_name_the_setting(env: dict[str, str], setting: str, phrase: str) -> None:
    with pytest.raises(HostConfigError) as caught:
        HostConfig.from_env(env)
    assert caught.value.setting == setting
    assert str(caught.value).startswith(f"{setting}: ")
    assert phrase in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["postgresql://bot:secret@db.example:5432/quiz", "postgres://bot@/quiz?host=/run/postgresql"],
)
def test_postgresql_urls_are_taken_as_they_are(url: str) -> None:
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": url})
    assert settings.database_url == url
    assert "secret" not in repr(settings)


def test_a_malformed_token_is_not_echoed() -> None:
    secret = "abcdefghijklmnopqrstuvwxyz.secret"
    with pytest.raises(HostConfigError) as caught:
        HostConfig.from_env({"DISCORD_TOKEN": secret})
    assert secret not in str(caught.value)


def test_the_token_is_not_in_the_repr() -> None:
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN})
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("env", "count", "ids"),
    [
        ({}, 1, (0,)),
        ({"SHARD_COUNT": "4"}, 4, (0, 1, 2, 3)),  # one process, every shard
        ({"SHARD_COUNT": "4", "SHARD_IDS": " 3, 1", "DATABASE_URL": "postgresql://bot@db/bot"}, 4, (1, 3)),
    ],
)
def test_shard_settings(env: dict[str, str], count: int, ids: tuple[int, ...]) -> None:
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN, **env})
    assert (settings.shards.count, settings.shards.ids) == (count, ids)


@pytest.mark.parametrize(
    ("env", "setting", "phrase"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS", "set SHARD_COUNT too"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT", "from 1 to"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT", "whole number"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0;1"}, "SHARD_IDS", "separated by commas"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS", "numbered 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1", "DATABASE_URL": "postgresql://bot@db/bot"}, "SHARD_IDS", "twice"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1"}, "SHARD_IDS", "needs PostgreSQL"),  # SQLite: one process
    ],
)
def test_bad_shard_settings_name_the_setting(env: dict[str, str], setting: str, phrase: str) -> None:
    with pytest.raises(HostConfigError) as caught:
        HostConfig.from_env({"DISCORD_TOKEN": TOKEN, **env})
    assert caught.value.setting == setting and phrase in str(caught.value)
