"""Request bodies as discord.py sends them: JSON, or multipart with payload_json plus files[n]."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import invalid_json
from .server import BODY_KEY


@dataclass(frozen=True)
class UploadedFile:
    """One files[n] part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    size: int
    data: bytes = b""  # kept, so a test can read what the bot sent (fake.sent_file)


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """Parse the body (also stored on request["body"] for the request log)."""
    files: list[UploadedFile] = []
    if request.content_type == "multipart/form-data":
        payload: Any = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = _parse(await part.text())
            else:
                data = await part.read()
                files.append(UploadedFile(part.name or "", part.filename or part.name or "file",
                                          part.headers.get("Content-Type"), len(data), data))
    else:
        raw = await request.text()
        if not raw:
            payload = {}
        elif request.content_type != "application/json":
            raise invalid_json(f"Content-Type {request.content_type!r} is not application/json")
        else:
            payload = _parse(raw)
    request[BODY_KEY] = payload
    return payload, files


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise invalid_json() from None


def query_flag(request: web.Request, name: str) -> bool:
    """A boolean query parameter the way Discord reads it (1/true)."""
    return request.query.get(name, "").lower() in ("1", "true")
