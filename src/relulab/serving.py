"""Server-process tuning for the Streamlit page (no Streamlit import here)."""

from __future__ import annotations

import gc
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
