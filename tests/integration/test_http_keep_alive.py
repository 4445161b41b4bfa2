"""An idle keep-alive connection to a service outlives the clients' own idle expiry (httpx's
5 s in the portal): a request on a connection idle for 6 s is answered, where uvicorn's
default (5 s) would have closed it and failed a request made in that instant with no answer
(`RemoteDisconnected`, as the load test saw for a POST)."""

from __future__ import annotations

import http.client
import time
from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", ["membership", "portal"])
def test_a_connection_idle_past_the_clients_expiry_is_still_answered(
    stack: Any, service: str
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", stack.ports.services[service][0], timeout=10)
    try:
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        assert first.status == 200 and not first.will_close
        socket_before = conn.sock
        time.sleep(6)
        conn.request("GET", "/healthz")
        again = conn.getresponse()
        again.read()
        assert again.status == 200
        assert conn.sock is socket_before  # the same connection, not a new one
    finally:
        conn.close()
