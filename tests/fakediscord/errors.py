"""Discord-shaped API errors: the JSON bodies and status codes Discord answers with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PathPart = str | int


class FormErrors:
    """Collects field errors into Discord's nested `errors` tree (used by code 50035)."""

    def __init__(self) -> None:
        self._tree: dict[str, Any] = {}

    def add(self, path: Sequence[PathPart], code: str, message: str) -> None:
        """Record one error at `path` (e.g. ("embeds", 0, "description"))."""
        node = self._tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self._tree)

    @property
    def tree(self) -> dict[str, Any]:
        """The errors tree exactly as Discord nests it."""
        return self._tree

    def flat(self) -> list[tuple[str, str, str]]:
        """(dotted path, code, message) for every error, handy in assertions."""
        found: list[tuple[str, str, str]] = []

        def walk(node: dict[str, Any], prefix: str) -> None:
            for key, value in node.items():
                if key == "_errors":
                    found.extend((prefix, e["code"], e["message"]) for e in value)
                else:
                    walk(value, f"{prefix}.{key}" if prefix else key)

        walk(self._tree, "")
        return found

    def raise_if_any(self) -> None:
        """Raise 400 / 50035 Invalid Form Body when anything was recorded."""
        if self:
            raise ApiError(400, 50035, "Invalid Form Body", errors=self.tree)


class ApiError(Exception):
    """An error response the fake sends instead of handling the request."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}" + (f" ({reason})" if reason else ""))
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        # Why the fake refused, for test diagnostics; Discord itself never sends this.
        self.reason = reason or message

    def body(self) -> dict[str, Any]:
        """The JSON body Discord sends for this error."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def form_error(path: Sequence[PathPart], code: str, message: str) -> ApiError:
    """A 50035 Invalid Form Body naming a single field."""
    errors = FormErrors()
    errors.add(path, code, message)
    return ApiError(400, 50035, "Invalid Form Body", errors=errors.tree)


def unauthorized(reason: str = "bad or missing Authorization header") -> ApiError:
    """401 for a missing or wrong bot token."""
    return ApiError(401, 0, "401: Unauthorized", reason=reason)


def route_not_found(reason: str = "no such route") -> ApiError:
    """404 for a path Discord does not serve."""
    return ApiError(404, 0, "404: Not Found", reason=reason)


def method_not_allowed(reason: str = "method not allowed on this route") -> ApiError:
    """405 for a known path with the wrong HTTP method."""
    return ApiError(405, 0, "405: Method Not Allowed", reason=reason)


def invalid_json(reason: str = "body is not valid JSON") -> ApiError:
    """400 / 50109 for an unparsable body."""
    return ApiError(400, 50109, "The request body contains invalid JSON.", reason=reason)


def unknown_channel(reason: str | None = None) -> ApiError:
    """404 / 10003."""
    return ApiError(404, 10003, "Unknown Channel", reason=reason)


def unknown_guild(reason: str | None = None) -> ApiError:
    """404 / 10004."""
    return ApiError(404, 10004, "Unknown Guild", reason=reason)


def unknown_member(reason: str | None = None) -> ApiError:
    """404 / 10007."""
    return ApiError(404, 10007, "Unknown Member", reason=reason)


def unknown_message(reason: str | None = None) -> ApiError:
    """404 / 10008."""
    return ApiError(404, 10008, "Unknown Message", reason=reason)


def unknown_user(reason: str | None = None) -> ApiError:
    """404 / 10013."""
    return ApiError(404, 10013, "Unknown User", reason=reason)


def unknown_webhook(reason: str | None = None) -> ApiError:
    """404 / 10015: also what an interaction token gets before the interaction is acknowledged."""
    return ApiError(404, 10015, "Unknown Webhook", reason=reason)


def unknown_interaction(reason: str | None = None) -> ApiError:
    """404 / 10062: unknown interaction, or the 3 second window to respond has passed."""
    return ApiError(404, 10062, "Unknown interaction", reason=reason)


def unknown_command(reason: str | None = None) -> ApiError:
    """404 / 10063."""
    return ApiError(404, 10063, "Unknown application command", reason=reason)


def not_authorized_for_application(reason: str | None = None) -> ApiError:
    """403 / 20012: the path names another application."""
    return ApiError(
        403, 20012, "You are not authorized to perform this action on this application", reason=reason
    )


def max_commands_reached(limit: int, reason: str | None = None) -> ApiError:
    """400 / 30032 when a single create would exceed the per-type command cap."""
    return ApiError(400, 30032, f"Maximum number of application commands reached ({limit})", reason=reason)


def already_acknowledged(reason: str | None = None) -> ApiError:
    """400 / 40060: a second initial response to one interaction."""
    return ApiError(400, 40060, "Interaction has already been acknowledged.", reason=reason)


def missing_access(reason: str | None = None) -> ApiError:
    """403 / 50001: the bot cannot see the resource (no View Channel, not in the guild)."""
    return ApiError(403, 50001, "Missing Access", reason=reason)


def cannot_edit_others_message(reason: str | None = None) -> ApiError:
    """403 / 50005."""
    return ApiError(403, 50005, "Cannot edit a message authored by another user", reason=reason)


def empty_message(reason: str | None = None) -> ApiError:
    """400 / 50006: no content, embeds, components, files, stickers or poll."""
    return ApiError(400, 50006, "Cannot send an empty message", reason=reason)


def cannot_dm_user(reason: str | None = None) -> ApiError:
    """403 / 50007."""
    return ApiError(403, 50007, "Cannot send messages to this user", reason=reason)


def missing_permissions(reason: str | None = None) -> ApiError:
    """403 / 50013."""
    return ApiError(403, 50013, "Missing Permissions", reason=reason)


def invalid_webhook_token(reason: str | None = None) -> ApiError:
    """401 / 50027: the interaction token is older than 15 minutes."""
    return ApiError(401, 50027, "Invalid Webhook Token", reason=reason)


def payload_too_large(reason: str | None = None) -> ApiError:
    """413 / 40005 for attachments over the upload limit."""
    return ApiError(413, 40005, "Request entity too large", reason=reason)
