"""The class link through the page (AppTest): a teacher who opened the page as localhost
gets a link students can open, at one of this machine's network addresses, and a note
that says which; a wrong RELULAB_PUBLIC_URL gets a message on the panel.

Nothing here opens the link: tests send traffic to loopback addresses only."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from conftest import APP
from relulab_app import public_url


def _machine_addresses() -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """This machine's own addresses as the Linux kernel lists them, read here without
    the page's code: IPv4 from the routing trie's local entries (``/32 host LOCAL``),
    IPv6 from /proc/net/if_inet6."""
    fib, inet6 = Path("/proc/net/fib_trie"), Path("/proc/net/if_inet6")
    if not fib.exists():
        pytest.fail("this test reads the machine's addresses from /proc (Linux)")
    found: set = set()
    last = None
    for line in fib.read_text().splitlines():
        if m := re.search(r"\|-- ([0-9.]+)$", line):
            last = m[1]
        elif "/32 host LOCAL" in line and last:
            found.add(ipaddress.ip_address(last))
    if inet6.exists():
        for line in inet6.read_text().splitlines():
            hexaddr = line.split()[0]
            found.add(ipaddress.ip_address(int(hexaddr, 16)))
    return found


def _teacher(monkeypatch, page: str, env: str | None = None) -> tuple[AppTest, str]:
    if env is None:
        monkeypatch.delenv(public_url.ENV, raising=False)
    else:
        monkeypatch.setenv(public_url.ENV, env)
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.context["url"] = page
    at.run()
    at.session_state["class_menu"] = True
    at.run()
    next(b for b in at.button if b.label == "Open a class (for the teacher)").click()
    at.run()
    at.session_state["class_menu"] = True  # the menu, open again: the QR code and link
    at.run()
    assert not at.exception
    return at, at.query_params["class"]


def _link(at: AppTest, code: str) -> str:
    (link,) = {c.value for c in at.code if c.value.endswith(f"?class={code}")}
    return link


def test_a_teacher_on_localhost_gets_this_machines_network_address(monkeypatch):
    at, code = _teacher(monkeypatch, "http://localhost:8501/")
    link = _link(at, code)
    parts = urlsplit(link)
    reachable = {
        ip
        for ip in _machine_addresses()
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)
    }
    notes = [c.value for c in at.caption] + [w.value for w in at.warning]
    if reachable:
        host = parts.hostname
        assert host in {str(ip) for ip in reachable}, (link, reachable)
        assert parts.port == 8501 and parts.query == f"class={code}"
        assert any(f"`{host}`" in n and "same Wi-Fi" in n for n in notes), notes
    else:  # a machine with no network: the panel says so, instead of a useless link
        assert any("No network address found" in n for n in notes), notes


def test_a_teacher_on_community_cloud_gets_the_pages_own_address(monkeypatch):
    at, code = _teacher(monkeypatch, "https://relulab.streamlit.app/", env="http://127.0.0.2:1")
    assert _link(at, code) == f"https://relulab.streamlit.app/?class={code}"


def test_relulab_public_url_is_the_links_base(monkeypatch):
    at, code = _teacher(monkeypatch, "http://127.0.0.1:8501/", env="https://class.example.org/r/")
    assert _link(at, code) == f"https://class.example.org/r/?class={code}"
    assert any(public_url.ENV in c.value for c in at.caption)


def test_a_wrong_relulab_public_url_is_a_message_on_the_panel(monkeypatch):
    at, code = _teacher(monkeypatch, "http://localhost:8501/", env="class.example.org?x=1")
    assert "class.example.org" not in _link(at, code)
    (warning,) = [w.value for w in at.warning if public_url.ENV in w.value]
    assert "is not used: it must start with http:// or https://" in warning
