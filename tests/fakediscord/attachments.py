"""Files a user attaches to a slash command, and the CDN that serves them.

Discord uploads an attachment option's file before the interaction is sent, puts the attachment
object (id, filename, size, url, proxy_url, content_type, ephemeral) in `data.resolved.attachments`,
and serves the file at a signed CDN URL: `/ephemeral-attachments/<channel>/<id>/<filename>?ex=&is=&hm=`.
The CDN needs no token; a URL whose signature does not match, or a file it does not have, is a
404 ("This content is no longer available."). The Discord client refuses a file above the
interaction's `attachment_size_limit` before anything is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from aiohttp import web

from .snowflakes import SnowflakeFactory

__all__ = ["AttachedFile", "AttachmentCdn"]

CDN_PREFIX = "/ephemeral-attachments"
NOT_AVAILABLE = "This content is no longer available."
# What Discord sets by extension, for the files tests attach (a fixed table: the host's mime.types
# differs between machines); other files come without a content_type.
CONTENT_TYPES = {
    "toml": "application/toml",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "png": "image/png",
}
LINK_LIFETIME = 24 * 3600  # Discord's signed attachment links expire after about a day


@dataclass(slots=True)
class AttachedFile:
    """A file a user attached, as the CDN keeps it."""

    id: int
    channel_id: int
    filename: str
    data: bytes
    content_type: str | None
    url: str
    downloads: int = 0

    @property
    def size(self) -> int:
        return len(self.data)

    def payload(self) -> dict[str, Any]:
        """The attachment object, as in `resolved.attachments`."""
        body: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,  # Discord's is on media.discordapp.net; one server here
            "ephemeral": True,
        }
        if self.content_type is not None:
            body["content_type"] = self.content_type
        return body


@dataclass(slots=True)
class AttachmentCdn:
    """The uploaded files and the route that serves them."""

    ids: SnowflakeFactory
    now: Any  # () -> Unix seconds, for the links' expiry stamps
    files: dict[int, AttachedFile] = field(default_factory=dict)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def upload(self, base: str, channel_id: int, filename: str, data: bytes,
               content_type: str | None = None) -> AttachedFile:
        """Store a file as the Discord client uploads an attachment option's file."""
        if not filename or "/" in filename:
            raise ValueError(f"not a file name: {filename!r}")
        if content_type is None:
            content_type = CONTENT_TYPES.get(filename.rsplit(".", 1)[-1].lower()) if "." in filename else None
        file_id = self.ids.next()
        path = f"{CDN_PREFIX}/{channel_id}/{file_id}/{quote(filename)}"
        issued = int(self.now())
        ex, is_ = f"{issued + LINK_LIFETIME:x}", f"{issued:x}"
        url = f"{base}{path}?ex={ex}&is={is_}&hm={self._sign(path, ex, is_)}&"
        file = AttachedFile(file_id, channel_id, filename, data, content_type, url)
        self.files[file_id] = file
        return file

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get(CDN_PREFIX + "/{channel}/{file}/{filename}", self.serve)

    async def serve(self, request: web.Request) -> web.StreamResponse:
        """GET a file: the bytes with their type and length, or 404 for a wrong link or an unknown file."""
        try:
            file = self.files.get(int(request.match_info["file"]))
        except ValueError:
            file = None
        ex, is_, hm = (request.query.get(k, "") for k in ("ex", "is", "hm"))
        # The signature was made over the quoted path; match_info holds it decoded.
        quoted = f"{CDN_PREFIX}/{request.match_info['channel']}/{request.match_info['file']}/" + quote(
            request.match_info["filename"]
        )
        if (
            file is None
            or str(file.channel_id) != request.match_info["channel"]
            or request.match_info["filename"] != file.filename
            or not hmac.compare_digest(hm, self._sign(quoted, ex, is_))
            or not _live(ex, self.now())
        ):
            return web.Response(status=404, text=NOT_AVAILABLE, content_type="text/plain")
        file.downloads += 1
        headers = {"Content-Type": file.content_type or "application/octet-stream"}
        return web.Response(body=file.data, headers=headers)

    def _sign(self, path: str, ex: str, is_: str) -> str:
        return hmac.new(self._key, f"{path}|{ex}|{is_}".encode(), hashlib.sha256).hexdigest()


def _live(ex: str, now: float) -> bool:
    try:
        return int(ex, 16) > now
    except ValueError:
        return False
