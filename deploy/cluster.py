"""The page as a lecture hall runs it: N Streamlit processes behind nginx, sharing Redis.

    python deploy/cluster.py --replicas 2 --port 8501     (what `make cluster N=2` runs)

One Streamlit process uses about one core, so a class larger than one process holds
needs several. Each browser must stay on one process: its websocket session, and the
images (the QR code) Streamlit keeps in that process's memory. nginx routes by a
cookie it sets on the first request (``relulab_route``: a random key hashed to a
replica), and when a replica dies, the same hash picks a live one: its students'
pages reconnect there, and the class poll, kept in Redis, carries on.

Everything listens on 127.0.0.1 only; a real deployment (README, "A lecture hall")
puts the same nginx configuration in front of replicas on other machines. The system's
nginx and redis-server are used; their files live in a temporary folder, removed on
exit. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTE_COOKIE = "relulab_route"  # set by nginx (nginx.conf.template)

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
# What the system's nginx needs around the template when it runs as a user's process:
# its pid and temporary files in this cluster's folder, errors on stderr. Large
# responses (plotly.js) stream through instead of going to temporary files.
NGINX_MAIN = """\
worker_processes 1;
error_log stderr warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    proxy_max_temp_file_size 0;
    include {prefix}/relulab.conf;
}}
"""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """``replicas`` Streamlit processes of app.py, nginx in front on ``host:port``,
    one redis-server behind them. Use it as a context manager, or :func:`main`."""

    replicas: int = 2
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    python: str = sys.executable
    logs: Path | None = None  # a folder for each process's log (default: the temp folder)
    nodes: list[Replica] = field(default_factory=list)
    redis_url: str = ""
    _dir: Path | None = None
    _nginx: subprocess.Popen | None = None
    _redis: subprocess.Popen | None = None
    _secret: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> Cluster:
        if self.host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("the local cluster listens on loopback only")
        for tool in ("nginx", "redis-server"):
            if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
                raise RuntimeError(f"{tool} is not installed (apt-get install {tool})")
        self._dir = Path(tempfile.mkdtemp(prefix="relulab-cluster-"))
        self._dir.chmod(0o755)  # nginx's workers run as another user when started as root
        logs = self.logs or self._dir
        try:
            self._start_redis(logs)
            for _ in range(self.replicas):
                self.nodes.append(Replica(free_port()))
                self.start_replica(len(self.nodes) - 1)
            self._start_nginx(logs)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _log(self, logs: Path, name: str):
        return open(logs / f"{name}.log", "ab")

    def _start_redis(self, logs: Path) -> None:
        port = free_port()
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._redis = subprocess.Popen(
            [redis, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(self._dir),
             "--appendonly", "yes", "--save", ""],
            stdout=self._log(logs, "redis"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return
            if self._redis.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def start_replica(self, i: int) -> None:
        """Start (or restart, after :meth:`kill`) replica ``i``; waits for its health check."""
        node = self.nodes[i]
        # One cookie secret for all: a browser moved to another replica keeps its cookies.
        env = {
            **os.environ,
            "RELULAB_REDIS_URL": self.redis_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": self._secret,
        }
        node.proc = subprocess.Popen(
            [self.python, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(node.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self._log(self.logs or self._dir, f"replica{i}"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        _wait_http(f"http://{node.address}/_stcore/health", node.proc, f"replica {i}")

    def kill(self, i: int) -> None:
        """Kill replica ``i`` at once, as a crashed machine would go."""
        proc = self.nodes[i].proc
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def _start_nginx(self, logs: Path) -> None:
        servers = "\n".join(f"server {n.address} max_fails=1 fail_timeout=5s;" for n in self.nodes)
        site = string.Template(TEMPLATE.read_text()).safe_substitute(
            RELULAB_LISTEN=f"{self.host}:{self.port}", RELULAB_UPSTREAMS=servers
        )
        (self._dir / "relulab.conf").write_text(site)
        conf = self._dir / "nginx.conf"
        conf.write_text(NGINX_MAIN.format(prefix=self._dir))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._nginx = subprocess.Popen(
            [nginx, "-p", str(self._dir), "-c", str(conf), "-g", "daemon off;"],
            stdout=self._log(logs, "nginx"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_http(f"{self.url}/_stcore/health", self._nginx, "nginx")

    def __exit__(self, *exc) -> None:
        _stop(self._nginx, signal.SIGQUIT)  # nginx's graceful stop
        for i, node in enumerate(self.nodes):
            if node.proc is not None and node.proc.poll() is None:
                os.killpg(node.proc.pid, signal.SIGTERM)
                try:
                    node.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.kill(i)
        _stop(self._redis)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 16:
        parser.error("--replicas must be between 1 and 16")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with Cluster(args.replicas, args.port) as cluster:
        print(f"ReLU Lab on {cluster.url} ({args.replicas} replicas, Redis {cluster.redis_url})")
        print("Ctrl-C stops it.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not stop:
                time.sleep(0.5)
                for i, node in enumerate(cluster.nodes):
                    if node.proc.poll() is not None:
                        print(f"replica {i} exited; restarting it", flush=True)
                        cluster.start_replica(i)


if __name__ == "__main__":
    main()
