"""Reading an interaction's attachment from its URL, never more than the limit."""

from __future__ import annotations

import aiohttp

from bot.packs.limits import MAX_PACK_BYTES, size_label
from bot.user_errors import UserError

__all__ = ["download_attachment"]

CHUNK = 16 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=10)


def too_large(size: int | None, limit_bytes: int = MAX_PACK_BYTES) -> UserError:
    """The answer for a file over the limit (`size` None: found while reading, so only 'over')."""
    limit = size_label(limit_bytes)
    if size is None:
        return UserError(f"That file is over {limit}, the most a pack may be.")
    return UserError(f"That file is {size_label(size)}; a pack is at most {limit}.")


async def download_attachment(session: aiohttp.ClientSession, url: str, limit: int = MAX_PACK_BYTES) -> bytes:
    """The file at the attachment's URL; a UserError when it cannot be read or passes `limit` bytes.

    The size Discord reported was checked before; the length is checked again from the response's
    header and while reading, so a file that is larger than it said is never read past the limit.
    """
    try:
        async with session.get(url, timeout=TIMEOUT) as response:
            if response.status != 200:
                status = response.status
                raise UserError(f"I couldn't download that file (Discord's CDN answered {status}); attach it again.")
            if response.content_length is not None and response.content_length > limit:
                raise too_large(response.content_length, limit)
            data = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise too_large(None, limit)
            return bytes(data)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise UserError("I couldn't download that file; attach it again in a moment.") from error
