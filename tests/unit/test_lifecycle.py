"""The one line a failed attempt logs: it names the cause and never carries a request's contents."""

from __future__ import annotations

import errno
import socket
from types import SimpleNamespace

import aiohttp
import discord
import pytest
from aiohttp.client_reqrep import ConnectionKey

from bot.lifecycle import describe_failure

KEY = ConnectionKey("discord.com", 443, True, True, None, None, None)


def _http_error(status: int, reason: str) -> discord.HTTPException:
    return discord.HTTPException(SimpleNamespace(status=status, reason=reason), {"message": "", "code": 0})


@pytest.mark.parametrize(("error", "line"), [
    (aiohttp.ClientConnectorDNSError(KEY, socket.gaierror(socket.EAI_NONAME, "Name or service not known")),
     "cannot resolve discord.com (no DNS: is the network up?)"),
    (aiohttp.ClientConnectorError(KEY, OSError(errno.ECONNREFUSED, "Connect call failed ('1.2.3.4', 443)")),
     "cannot connect to discord.com:443 (Connection refused)"),
    (aiohttp.ClientConnectorError(KEY, OSError(errno.ENETUNREACH, "Network is unreachable")),
     "cannot connect to discord.com:443 (Network is unreachable)"),
    (_http_error(503, "Service Unavailable"), "Discord answered 503 Service Unavailable"),
    (aiohttp.ServerDisconnectedError(), "the connection was closed before Discord answered"),
    (TimeoutError(), "Discord did not answer in time"),
    (OSError(errno.EHOSTUNREACH, "No route to host"), "network error: No route to host"),
    (discord.GatewayNotFound(), "GatewayNotFound: The gateway to connect to discord was not found."),
])
def test_a_failure_is_named_in_one_line(error: BaseException, line: str) -> None:
    assert describe_failure(error) == line
    assert "\n" not in line
