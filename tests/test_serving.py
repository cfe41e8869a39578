"""Server-process tuning: the startup heap is frozen once."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_startup_heap_is_frozen_once():
    # In a fresh interpreter: freezing is process-wide, so not in the test process.
    code = (
        "import gc, relulab; from relulab_app import serving;"
        "before = gc.get_freeze_count();"
        "first = serving.freeze_startup_heap(); n = gc.get_freeze_count();"
        "[object() for _ in range(10)]; second = serving.freeze_startup_heap();"
        "print(before == 0, first, n > 10_000, second, gc.get_freeze_count() == n)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "False", "True"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_nagle_is_turned_off_on_the_server_sockets_once():
    # A listening socket made as Streamlit 1.67 makes its own (protocol number 0, so
    # asyncio leaves Nagle on), one connection accepted before the call and one after.
    code = """
import socket
from relulab_app import serving
nd = lambda s: s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.bind(("127.0.0.1", 0)); lst.listen()
c1 = socket.create_connection(lst.getsockname()); a1, _ = lst.accept()
before = nd(a1)
first = serving.disable_nagle()
c2 = socket.create_connection(lst.getsockname()); a2, _ = lst.accept()
print(lst.proto, before, first >= 3, nd(lst), nd(a1), nd(a2), serving.disable_nagle())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "True", "1", "1", "1", "0"]
