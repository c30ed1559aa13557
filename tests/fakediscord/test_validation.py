"""The validators on their own: what discord.py legitimately builds passes, each broken rule fails."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from .command_validation import validate_command, validate_command_list
from .errors import FormErrors
from .validation import validate_autocomplete_choices, validate_message_fields, validate_modal


def message_codes(body: dict[str, Any]) -> dict[str, str]:
    errors = FormErrors()
    validate_message_fields(body, errors)
    return {path: code for path, code, _ in errors.flat()}


class FullView(discord.ui.View):
    @discord.ui.button(label="Go", custom_id="go", emoji="▶️")
    async def go(self, interaction: discord.Interaction, button: discord.ui.Button) -> None: ...

    @discord.ui.select(custom_id="pick", options=[discord.SelectOption(label=str(i), value=str(i)) for i in range(25)],
                       max_values=25, placeholder="p" * 150)
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None: ...

    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="who")
    async def who(self, interaction: discord.Interaction, select: discord.ui.UserSelect) -> None: ...


async def test_what_discord_py_builds_is_accepted() -> None:
    view = FullView()
    view.add_item(discord.ui.Button(label="Docs", url="https://discord.com/developers/docs"))
    embed = (discord.Embed(title="t" * 256, description="d" * 4096, url="https://example.com", colour=0xFFFFFF,
                           timestamp=discord.utils.utcnow())
             .set_footer(text="f" * 200, icon_url="https://example.com/i.png")
             .set_author(name="a" * 256, url="https://example.com")
             .set_image(url="attachment://chart.png"))
    for index in range(6):
        embed.add_field(name="n" * 10, value="v" * 100, inline=bool(index % 2))
    body = {"content": "c" * 2000, "embeds": [embed.to_dict()], "components": view.to_components(),
            "allowed_mentions": discord.AllowedMentions(everyone=False, users=[discord.Object(1)]).to_dict()}
    assert message_codes(body) == {}


async def test_components_v2_layout_is_accepted_and_legacy_fields_are_not() -> None:
    class Layout(discord.ui.LayoutView):
        container = discord.ui.Container(
            discord.ui.TextDisplay("Question 1"),
            discord.ui.Section(discord.ui.TextDisplay("Answer A"),
                               accessory=discord.ui.Button(label="Pick", custom_id="a")),
            discord.ui.ActionRow(discord.ui.Button(label="Skip", custom_id="skip")),
        )

    components = Layout().to_components()
    assert message_codes({"flags": 1 << 15, "components": components}) == {}
    assert message_codes({"flags": 1 << 15, "components": components, "content": "legacy"}) == {
        "content": "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2"}
    # Without the IS_COMPONENTS_V2 flag only action rows may be top-level components.
    assert message_codes({"components": components}) == {"components.0.type": "BASE_TYPE_CHOICES"}


@pytest.mark.parametrize(("body", "expected"), [
    ({"embeds": [{"fields": [{"name": "n"}]}]}, {"embeds.0.fields.0.value": "BASE_TYPE_REQUIRED"}),
    ({"embeds": [{"author": {"name": "a" * 257}}]}, {"embeds.0.author.name": "BASE_TYPE_MAX_LENGTH"}),
    ({"embeds": [{"color": 0x1000000}]}, {"embeds.0.color": "NUMBER_TYPE_MAX"}),
    ({"embeds": [{"footer": {"icon_url": "https://x.test/i.png"}}]}, {"embeds.0.footer.text": "BASE_TYPE_REQUIRED"}),
    ({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "x"}]}]},
     {"components.0.components.0": "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED"}),
    ({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": "c" * 101}]}]},
     {"components.0.components.0.custom_id": "BASE_TYPE_BAD_LENGTH"}),
    ({"components": [{"type": 1, "components": [{"type": 2, "style": 5, "label": "x"}]}]},
     {"components.0.components.0.url": "BASE_TYPE_REQUIRED"}),
    ({"components": [{"type": 1, "components": [{"type": 3, "custom_id": "s", "max_values": 2,
                                                  "options": [{"label": "a", "value": "a"}]}]}]},
     {"components.0.components.0.max_values": "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS"}),
    ({"components": [{"type": 1, "components": []}]}, {"components.0.components": "BASE_TYPE_BAD_LENGTH"}),
    ({"components": [{"type": 1, "components": [{"type": 4, "custom_id": "t", "style": 1, "label": "l"}]}]},
     {"components.0.components.0.type": "BASE_TYPE_CHOICES"}),
    ({"allowed_mentions": {"parse": ["channels"]}}, {"allowed_mentions.parse.0": "BASE_TYPE_CHOICES"}),
    ({"poll": {"question": {"text": "q"}, "answers": []}}, {"poll.answers": "BASE_TYPE_BAD_LENGTH"}),
])
async def test_message_rules(body: dict[str, Any], expected: dict[str, str]) -> None:
    assert message_codes(body) == expected


async def test_autocomplete_choice_rules() -> None:
    def check(data: Any, option_type: int = 3) -> dict[str, str]:
        errors = FormErrors()
        validate_autocomplete_choices(data, option_type, errors, ("data",))
        return {path: code for path, code, _ in errors.flat()}

    assert check({"choices": [{"name": "n" * 100, "value": "v" * 100}] * 25}) == {}
    assert check({"choices": [{"name": "n" * 101, "value": "v"}]}) == {"data.choices.0.name": "BASE_TYPE_BAD_LENGTH"}
    assert check({"choices": [{"name": "", "value": "v"}]}) == {"data.choices.0.name": "BASE_TYPE_REQUIRED"}
    assert check({"choices": [{"name": "n", "value": "v" * 101}]}) == {
        "data.choices.0.value": "BASE_TYPE_MAX_LENGTH"}
    assert check({"choices": [{"name": "n", "value": "1"}]}, 4) == {"data.choices.0.value": "NUMBER_TYPE_COERCE"}
    assert check({}) == {"data.choices": "BASE_TYPE_REQUIRED"}


async def test_modal_rules() -> None:
    class Survey(discord.ui.Modal, title="Survey"):
        answer = discord.ui.TextInput(label="Answer", custom_id="answer")

    def check(data: Any) -> dict[str, str]:
        errors = FormErrors()
        validate_modal(data, errors, ("data",))
        return {path: code for path, code, _ in errors.flat()}

    assert check(Survey().to_dict()) == {}
    assert check({**Survey().to_dict(), "title": "t" * 46}) == {"data.title": "BASE_TYPE_BAD_LENGTH"}
    assert check({"custom_id": "m", "title": "t", "components": []}) == {"data.components": "BASE_TYPE_REQUIRED"}


async def test_a_modal_select_sits_in_a_label_and_is_never_disabled() -> None:
    def survey(**select: Any) -> dict[str, Any]:
        modal = discord.ui.Modal(title="Survey", custom_id="survey")
        options = [discord.SelectOption(label="Yes", value="y"), discord.SelectOption(label="No", value="n")]
        modal.add_item(discord.ui.Label(text="Pick", component=discord.ui.Select(custom_id="pick", options=options,
                                                                                **select)))
        return modal.to_dict()

    def check(data: Any) -> dict[str, str]:
        errors = FormErrors()
        validate_modal(data, errors, ("data",))
        return {path: code for path, code, _ in errors.flat()}

    assert check(survey()) == {}
    assert check(survey(disabled=True)) == {
        "data.components.0.component.disabled": "COMPONENT_DISABLED_NOT_ALLOWED_IN_MODAL"}
    row = {"type": 1, "components": [survey()["components"][0]["component"]]}
    assert check({**survey(), "components": [row]}) == {"data.components.0.components.0.type": "BASE_TYPE_CHOICES"}
    six = [{"type": 10, "content": "x"}] * 6
    assert check({**survey(), "components": six}) == {"data.components": "BASE_TYPE_MAX_LENGTH"}


def _tree_payload() -> list[dict[str, Any]]:
    """What discord.py sends for a realistic tree, including a context menu and localisations."""
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    quiz = app_commands.Group(name="quiz", description="Play")
    admin = app_commands.Group(name="admin", description="Admin", parent=quiz)

    @quiz.command(description="Start")
    @app_commands.choices(level=[app_commands.Choice(name="Easy", value=1), app_commands.Choice(name="Hard", value=3)])
    async def start(interaction: discord.Interaction, level: int, topic: str | None = None,
                    channel: discord.TextChannel | None = None, ratio: app_commands.Range[float, 0, 1] = 0.5,
                    name: app_commands.Range[str, 1, 30] = "x") -> None: ...

    @admin.command(description="Reset")
    async def reset(interaction: discord.Interaction, member: discord.Member, role: discord.Role) -> None: ...

    @app_commands.context_menu(name="Report Message")
    async def report(interaction: discord.Interaction, message: discord.Message) -> None: ...

    tree.add_command(quiz)
    tree.add_command(report)
    return [command.to_dict(tree) for command in tree.get_commands()]


async def test_discord_py_command_trees_are_accepted() -> None:
    errors = FormErrors()
    validate_command_list(_tree_payload(), errors)
    assert errors.flat() == []


@pytest.mark.parametrize(("command", "expected"), [
    ({"type": 2, "name": "Report User", "description": "not allowed"}, {"description": "BASE_TYPE_MAX_LENGTH"}),
    ({"name": "café", "description": "ok"}, {}),
    ({"name": "x", "description": "d", "options": [{"type": 5, "name": "b", "description": "d",
                                                    "choices": [{"name": "y", "value": "y"}]}]},
     {"options.0.choices": "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED"}),
    ({"name": "x", "description": "d", "options": [{"type": 3, "name": "s", "description": "d", "autocomplete": True,
                                                    "choices": [{"name": "y", "value": "y"}]}]},
     {"options.0.autocomplete": "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES_EXCLUSIVE"}),
    ({"name": "x", "description": "d", "options": [{"type": 2, "name": "g", "description": "d"}]},
     {"options.0.options": "BASE_TYPE_BAD_LENGTH"}),
    ({"name": "x", "description": "d", "options": [{"type": 3, "name": "s", "description": "d", "min_length": 7000}]},
     {"options.0.min_length": "NUMBER_TYPE_MAX"}),
    ({"name": "x", "description": "d", "name_localizations": {"xx": "x"}}, {"name_localizations.xx": "LOCALE_INVALID"}),
    ({"name": "x", "description": "d", "name_localizations": {"fr": "Bonjour"}},
     {"name_localizations.fr": "APPLICATION_COMMAND_INVALID_NAME"}),
    ({"name": "x", "description": "d", "contexts": [0, 3]}, {"contexts.1": "BASE_TYPE_CHOICES"}),
    ({"name": "x", "description": "d" * 100, "options": [
        {"type": 3, "name": f"o{i}", "description": "d" * 100,
         "choices": [{"name": "n" * 100, "value": f"{i}-{j}"} for j in range(2)]} for i in range(20)]},
     {"": "APPLICATION_COMMAND_TOO_LARGE"}),
])
async def test_command_rules(command: dict[str, Any], expected: dict[str, str]) -> None:
    errors = FormErrors()
    validate_command(command, errors)
    assert {path: code for path, code, _ in errors.flat()} == expected
