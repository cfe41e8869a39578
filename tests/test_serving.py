"""Server-process tuning: the startup heap is frozen once."""

from __future__ import annotations

import subprocess
import sys


def test_startup_heap_is_frozen_once():
    # In a fresh interpreter: freezing is process-wide, so not in the test process.
    code = (
        "import gc; from relulab import serving;"
        "before = gc.get_freeze_count();"
        "first = serving.freeze_startup_heap(); n = gc.get_freeze_count();"
        "[object() for _ in range(10)]; second = serving.freeze_startup_heap();"
        "print(before == 0, first, n > 10_000, second, gc.get_freeze_count() == n)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "False", "True"]
