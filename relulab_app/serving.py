"""Server-process tuning for the Streamlit page (no Streamlit import here)."""

from __future__ import annotations

import gc
import os
import socket
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_heap() -> bool:
    """Move every object alive now into the collector's permanent generation, once.

    Called at the top of the page, after its imports: the first run in a server process
    freezes the imported libraries' objects (hundreds of thousands of them, none ever
    garbage), so later full collections walk only what the sessions allocate. Without
    it, Python's periodic full collection stalls every session's rerun for ~100 ms
    under a class's load. Returns whether this call froze (later calls do nothing).
    """
    global _frozen
    with _lock:
        if _frozen:
            return False
        gc.freeze()
        _frozen = True
        return True


_nodelay_done = False


def disable_nagle() -> int:
    """Turn Nagle's algorithm off (``TCP_NODELAY``) on this process's TCP sockets, once.

    Streamlit 1.67's server binds its listening socket itself with protocol number 0,
    and asyncio only sets ``TCP_NODELAY`` on sockets whose protocol reads
    ``IPPROTO_TCP``, so every browser connection keeps Nagle's algorithm on. A run
    answers with several small websocket messages; with Nagle on, all but the first
    wait for the browser's delayed ACK, up to 40 ms on Linux, on a 5-10 ms run
    (docs/performance.md, "Question arrivals, Nagle").

    Sets the option on the listening socket, whose accepted connections inherit it on
    Linux, and on the connections already open. Reads ``/proc/self/fd``; elsewhere it
    does nothing. Returns how many sockets it changed (later calls return 0).
    """
    global _nodelay_done
    with _lock:
        if _nodelay_done:
            return 0
        _nodelay_done = True
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return 0
    changed = 0
    for fd in fds:
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=fd)
        except OSError:  # closed meanwhile, or not a socket Python can wrap
            continue
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and (
                sock.type == socket.SOCK_STREAM
            ):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                changed += 1
        except OSError:
            continue
        finally:
            sock.detach()  # the fd stays the server's: our object must not close it
    return changed
