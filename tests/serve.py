"""Serve a Streamlit script on a free loopback port, and find a Chromium to drive it.

Used by the browser tests and by bench/bench_app.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium")
# Headless flags for a machine without network access: without the background-networking
# ones, Chromium keeps trying hosts that a closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def find_chromium() -> str | None:
    env = os.environ.get("RELULAB_CHROMIUM")
    for candidate in (env, *CHROMIUM_CANDIDATES):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    script: Path,
    port: int | None = None,
    timeout: float = 60.0,
    cwd: Path | None = None,
    *,
    python: str | None = None,
    args: Sequence[str] = (),
    log: Path | None = None,
    address: str | None = "127.0.0.1",
    base: str = "",
) -> Iterator[tuple[str, int]]:
    """Run ``streamlit run script`` on loopback; yield (base URL, server PID).

    Streamlit reads ``.streamlit/config.toml`` from the working directory: the script's
    own folder unless `cwd` says otherwise (the benchmarks serve their floor pages from
    the repository root, so that they run under the app's server settings). Nothing
    here overrides those settings: tests and benchmarks see what production runs (this
    helper once forced the file watcher off, which hid its ~180 ms per new session).

    `python` is the interpreter to run Streamlit with (default: this one; the hosting
    check passes a fresh virtual environment's), `args` are more ``streamlit run``
    options, and `log` is a file for the server's stderr (default: a temporary file,
    shown only if the server exits early). Never a pipe: nobody reads it while the server
    runs, and a server that fills its 64 KB would block on its next log line, mid-run.

    `address` is the one the server listens on; None leaves it to Streamlit, which then
    listens on every address, as `make run` does (the URL yielded is still loopback).
    Streamlit's welcome message would then look up this machine's external address on
    the internet, so it is turned off: tests send nothing beyond loopback.

    `base` is the --server.baseUrlPath to serve under (the URL yielded ends with it)."""
    port = port or free_port()
    cmd = [
        python or sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        *(["--server.address", address] if address else ["--logger.hideWelcomeMessage", "true"]),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        *(["--server.baseUrlPath", base] if base else []), *args,
    ]  # fmt: skip
    # The server keeps its own handle on the file; ours stays open (a temporary file is
    # gone once closed) so that an early exit's message can be read back.
    err = open(log, "wb") if log else tempfile.TemporaryFile()  # noqa: SIM115
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd or script.parent,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,  # its own process group, stopped as one below
        )
    except BaseException:
        err.close()
        raise
    url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err.flush()
                err.seek(0)
                text = log.read_bytes() if log else err.read()
                raise RuntimeError(f"streamlit exited: {text.decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not become healthy on port {port}")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        err.close()
