"""The students' link to a class: which address it is built from (relulab_app.public_url).

Pure: the page's address, RELULAB_PUBLIC_URL and the interface addresses are given
here; nothing is read from the machine or sent anywhere."""

from __future__ import annotations

import doctest
import ipaddress
import os
import string
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab_app import public_url
from relulab_app.public_url import BadPublicURL, best_lan_address, check_public_url, choose

EXAMPLES = int(os.environ.get("RELULAB_FUZZ_EXAMPLES", "100"))
QUERY = "class=K7MX3P"
WIFI = [("lo", "127.0.0.1"), ("lo", "::1"), ("wlan0", "192.168.1.23")]


def _choose(page: str, *, env: str | None = None, listen: str | None = None, ifaces=WIFI):
    def read():
        read.calls += 1
        return ifaces

    read.calls = 0
    link = choose(page, QUERY, public_url=env, listen=listen, interfaces=read)
    return link, read.calls


def test_the_examples_in_the_docstrings():
    result = doctest.testmod(public_url)
    assert result.attempted >= 6 and result.failed == 0


@pytest.mark.parametrize(
    "page",
    [
        "https://relulab.streamlit.app/",
        "http://192.168.1.23:8501/",
        "http://laptop.local:8501/",
        "https://class.example.org/relulab/",
        "http://[2001:db8::5]:8501/",
    ],
)
def test_a_page_not_served_as_loopback_gives_its_own_address(page):
    (url, note, alert), reads = _choose(page, env="http://127.0.0.2:9999")
    assert url == page + "?" + QUERY
    assert note is None and not alert
    assert reads == 0  # neither the interfaces nor the variable are looked at


@pytest.mark.parametrize(
    "page",
    [
        "http://localhost:8501/",
        "http://LOCALHOST:8501/",
        "http://app.localhost:8501/",
        "http://127.0.0.1:8501/",
        "http://127.3.4.5:8501/",
        "http://[::1]:8501/",
        "http://[::ffff:127.0.0.1]:8501/",
        "http://0.0.0.0:8501/",
    ],
)
def test_a_page_served_as_loopback_gives_the_lan_address_and_the_browsers_port(page):
    (url, note, alert), _ = _choose(page)
    assert url == "http://192.168.1.23:8501/?" + QUERY
    assert "`192.168.1.23` (wlan0)" in note and "same Wi-Fi" in note and not alert


def test_the_lan_link_keeps_the_pages_scheme_path_and_port():
    (url, _, _), _ = _choose("https://localhost:9443/relulab/")
    assert url == "https://192.168.1.23:9443/relulab/?" + QUERY
    (url, _, _), _ = _choose("http://localhost/")  # no port: the scheme's own
    assert url == "http://192.168.1.23/?" + QUERY


def test_an_ipv6_lan_address_goes_in_brackets():
    (url, _, _), _ = _choose("http://localhost:8501/", ifaces=[("en0", "fd00::2")])
    assert url == "http://[fd00::2]:8501/?" + QUERY
    assert urlsplit(url).hostname == "fd00::2"


@pytest.mark.parametrize(
    ("interfaces", "best"),
    [
        # private IPv4 before any other, and before the Docker bridge listed first
        ([("docker0", "172.17.0.1"), ("eth0", "fd00::2"), ("eth0", "10.1.2.3")], "10.1.2.3"),
        # a VPN's or a VM's private IPv4 only when nothing real is there
        ([("tailscale0", "100.101.102.103"), ("wlp2s0", "192.168.0.7")], "192.168.0.7"),
        ([("vboxnet0", "192.168.56.1"), ("en0", "2001:db8::7")], "2001:db8::7"),
        ([("br-1a2b", "172.18.0.1"), ("virbr0", "192.168.122.1")], "172.18.0.1"),
        # private IPv4 before other IPv4 (a mobile modem's carrier-grade NAT address)
        ([("wwan0", "100.64.0.9"), ("wlan0", "192.168.1.5")], "192.168.1.5"),
        # other IPv4 (carrier-grade NAT, public) before IPv6
        ([("en0", "2001:db8::7"), ("en0", "100.64.0.9")], "100.64.0.9"),
        # link-local: an IPv4 one as the last resort, never an IPv6 one (it needs a zone)
        ([("en0", "fe80::1%en0"), ("en0", "169.254.3.4")], "169.254.3.4"),
        ([("en0", "169.254.3.4"), ("docker0", "172.17.0.1")], "172.17.0.1"),
        ([("en0", "fe80::1%en0"), ("lo", "127.0.0.1"), ("lo", "::1")], None),
        ([("en0", "0.0.0.0"), ("en0", "224.0.0.1"), ("en0", "not an address")], None),
        # equally good: the first the system lists
        ([("en0", "192.168.1.5"), ("en1", "10.0.0.5")], "192.168.1.5"),
    ],
)
def test_the_best_lan_address(interfaces, best):
    found = best_lan_address(interfaces)
    assert (found and found[1]) == best


def test_no_lan_address_says_so_and_keeps_the_pages_address():
    (url, note, alert), _ = _choose("http://localhost:8501/", ifaces=[("lo", "127.0.0.1")])
    assert url == "http://localhost:8501/?" + QUERY
    assert alert and "No network address found" in note and public_url.ENV in note


@pytest.mark.parametrize(
    ("env", "want"),
    [
        ("http://127.0.0.2:8765", "http://127.0.0.2:8765/?"),
        ("https://class.example.org/relulab", "https://class.example.org/relulab?"),
        ("https://class.example.org/relulab/", "https://class.example.org/relulab/?"),
        ("  https://abc-123.trycloudflare.com \n", "https://abc-123.trycloudflare.com/?"),
        ("http://[fd00::2]:8501", "http://[fd00::2]:8501/?"),
        ("HTTP://Class.Example.ORG:/x", "http://class.example.org/x?"),
    ],
)
def test_relulab_public_url_is_the_links_base_on_a_loopback_page(env, want):
    (url, note, alert), reads = _choose("http://localhost:8501/", env=env)
    assert url == want + QUERY
    assert public_url.ENV in note and urlsplit(url).netloc in note and not alert
    assert reads == 0


@pytest.mark.parametrize("env", ["", "   "])
def test_a_blank_relulab_public_url_is_not_set(env):
    (url, _, alert), _ = _choose("http://localhost:8501/", env=env)
    assert url == "http://192.168.1.23:8501/?" + QUERY and not alert


@pytest.mark.parametrize(
    ("env", "why"),
    [
        ("ftp://class.example.org", "http:// or https://"),
        ("class.example.org", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("http://user:secret@class.example.org", "user name or password"),
        ("http://class.example.org/?x=1", "query"),
        ("http://class.example.org/#top", "fragment"),
        ("http://class.example.org/?", "query"),
        ("http://class example.org", "space"),
        ("http://class.example.org/`x`", "character"),
        ("http://clàss.example.org", "character"),
        ("http://class.example.org:99999", "port"),
        ("http://class.example.org:0", "port"),
        ("http://[::1", "host or port"),
        ("http://0.0.0.0:8501", "host"),
        ("http://[::]:8501", "host"),
        ("http://[fe80::1%25en0]:8501", "host"),
        ("http://-bad-.example.org", "host"),
        ("http://a..b", "host"),
        ("http://7:8501", "host"),  # a browser reads 7 as the IPv4 address 0.0.0.7
        ("http://1.2.3.999", "host"),
        ("http://class.0x7f", "host"),
        ("http://" + "a" * 64 + ".org", "host"),
        ("http://x.org/" + "a" * 2000, "longer than 2,000"),
    ],
)
def test_a_bad_relulab_public_url_is_not_used_and_the_panel_says_why(env, why):
    with pytest.raises(BadPublicURL, match=why):
        check_public_url(env.strip())
    (url, note, alert), _ = _choose("http://localhost:8501/", env=env)
    assert url == "http://192.168.1.23:8501/?" + QUERY  # the LAN link still works
    assert alert and note.startswith(f"{public_url.ENV} is not used: ")
    assert why in note or why.split()[0] in note


def _valid_base(text: str) -> bool:
    """What a base must be, said independently of the checker: http(s), a host, no user,
    query or fragment, only URL characters."""
    allowed = set(string.ascii_letters + string.digits + "-._~:/[]@!$&'()*+,;=%")
    return (
        text.lower().startswith(("http://", "https://"))
        and set(text) <= allowed
        and "@" not in text.split("/", 3)[2]
    )


HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="ascii"), max_size=60).map(lambda t: "http://" + t),
    st.builds(
        lambda scheme, host, tail: f"{scheme}://{host}{tail}",
        st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", "data", ""]),
        st.one_of(
            st.sampled_from(["", "localhost", "127.0.0.2", "[::1]", "0.0.0.0", "[::]", "a..b"]),
            st.from_regex(r"[a-z0-9.\-]{0,20}", fullmatch=True),
            st.text(max_size=12),
        ),
        st.one_of(
            st.sampled_from(["", ":8501", ":0", ":-1", ":65536", ":x", "/p", "/?", "#", "?a=b"]),
            st.text(max_size=20),
        ),
    ),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(HOSTILE)
def test_hostile_relulab_public_urls_give_a_clear_reason_or_a_clean_link(env):
    try:
        base = check_public_url(env.strip())
    except BadPublicURL as e:
        reason = str(e)
        assert reason and "\n" not in reason and len(reason) < 100
        (url, note, alert), _ = _choose("http://localhost:8501/", env=env)
        if env.strip():  # rejected: never in the link, and the panel says why
            assert url == "http://192.168.1.23:8501/?" + QUERY
            assert alert and note.startswith(f"{public_url.ENV} is not used: {reason}.")
        return
    # Accepted: a link a browser can open, and the variable's own host and port.
    assert _valid_base(env.strip()), env
    (url, note, alert), _ = _choose("http://localhost:8501/", env=env)
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.query == QUERY and not parts.fragment
    assert parts.hostname == base.hostname and parts.port == base.port
    host = parts.hostname
    try:
        ip = ipaddress.ip_address(host)
        assert not ip.is_unspecified
    except ValueError:
        assert all(0 < len(label) <= 63 for label in host.rstrip(".").split("."))
    assert not alert and "`" not in urlsplit(url).netloc


@pytest.mark.parametrize(
    ("listen", "host", "alert"),
    [
        (None, "192.168.1.23", False),
        ("", "192.168.1.23", False),
        ("0.0.0.0", "192.168.1.23", False),
        ("::", "192.168.1.23", False),
        ("10.9.8.7", "10.9.8.7", False),  # the one address the server listens on
        ("127.0.0.1", "localhost", True),
        ("localhost", "localhost", True),
        ("::1", "localhost", True),
        ("unix:///tmp/relulab.sock", "localhost", True),
    ],
)
def test_the_address_the_server_listens_on(listen, host, alert):
    (url, note, got_alert), _ = _choose("http://localhost:8501/", listen=listen)
    assert urlsplit(url).hostname == host and got_alert == alert
    if alert:
        assert "listens only on" in note and "make run" in note


def test_interfaces_the_system_refuses_to_list_are_none(monkeypatch):
    def refuse():
        raise PermissionError("no access to the interfaces")

    monkeypatch.setattr(public_url.psutil, "net_if_addrs", refuse)
    assert public_url.interface_addresses() == []
