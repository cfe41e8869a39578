"""The address students open to join a class.

A teacher who runs the app on a laptop opens it as ``http://localhost:8501``; a link
built from that address would send each phone to the phone itself. So when the page is
served as a loopback address, the link is built from ``RELULAB_PUBLIC_URL`` (a tunnel or
a reverse proxy in front of the app) when it is set, and otherwise from this computer's
address on its network, read from its network interfaces: nothing is sent anywhere to
find it. Anywhere else (Streamlit Community Cloud, a server behind its own name) the
page's own address is the right one.

`choose` is the pure choice, `interface_addresses` the one function that reads the
computer's interfaces.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit, urlunsplit

import psutil

ENV = "RELULAB_PUBLIC_URL"
MAX_LENGTH = 2000

# The characters RFC 3986 allows in a URI (unreserved, reserved, and % for escapes).
# Spaces, quotes, backticks, <>, {}, | and non-ASCII letters are not among them: a
# value that holds one is rejected, which also keeps the note's `code` span intact.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
# Interfaces of containers, virtual machines and VPNs (Docker's docker0 and br-*, libvirt,
# VirtualBox, VMware, LXC/LXD, Kubernetes, Podman, tunnels, WireGuard, Tailscale,
# ZeroTier, macOS's bridge0 and utun, Windows' Hyper-V vEthernet): their addresses, often
# private IPv4 too, are not on the Wi-Fi the phones share.
_VIRTUAL = (
    "docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "lxcbr", "lxdbr", "cni",
    "flannel", "podman", "tun", "tap", "utun", "wg", "tailscale", "zt", "bridge",
    "vethernet",
)  # fmt: skip


class JoinLink(NamedTuple):
    """The students' link, a note for the teacher's panel (Markdown, or None when there
    is nothing to say), and whether the note asks the teacher to fix something (phones
    cannot reach the link, or ``RELULAB_PUBLIC_URL`` is wrong)."""

    url: str
    note: str | None
    alert: bool = False


class BadPublicURL(ValueError):
    """``RELULAB_PUBLIC_URL`` cannot be a link students open; the message says why."""


def _host_ok(host: str) -> bool:
    with contextlib.suppress(ValueError):
        ip = ipaddress.ip_address(host)
        # A browser opens neither a wildcard address nor one with an IPv6 zone.
        return not ip.is_unspecified and not getattr(ip, "scope_id", None)
    with_dots = host.removesuffix(".")
    labels = with_dots.split(".")
    # A browser reads a name whose last label is a number (``7``, ``1.2.3.999``,
    # ``0x7f``) as an IPv4 address, not as a name.
    numeric = re.fullmatch(r"[0-9]+|0x[0-9a-f]*", labels[-1].lower()) is not None
    return 0 < len(with_dots) <= 253 and not numeric and all(map(_LABEL.fullmatch, labels))


def check_public_url(value: str) -> SplitResult:
    """``value`` as the base of the students' link, or `BadPublicURL` saying what is wrong.

    The base must be an http or https address with a host (a name or an IP address),
    an optional port and path (a reverse proxy's base path), and no user name, query or
    fragment: the page adds ``?class=CODE`` itself.

    >>> check_public_url("https://class.example.org/relulab").path
    '/relulab'
    >>> check_public_url("ftp://class.example.org")
    Traceback (most recent call last):
    ...
    relulab_app.public_url.BadPublicURL: it must start with http:// or https://
    """
    if not value:
        raise BadPublicURL("it is empty")
    if len(value) > MAX_LENGTH:
        raise BadPublicURL(f"it is longer than {MAX_LENGTH:,} characters")
    if not _URL_CHARS.fullmatch(value):
        raise BadPublicURL("it holds a space or a character a URL cannot hold (percent-encode it)")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise BadPublicURL("its host or port cannot be read") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadPublicURL("it must start with http:// or https://")
    host = parts.hostname
    if not host:
        raise BadPublicURL("it has no host name")
    if parts.username is not None or parts.password is not None:
        raise BadPublicURL("it must not hold a user name or password")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise BadPublicURL("it must not have a query (?…) or fragment (#…)")
    if not _host_ok(host):
        raise BadPublicURL("its host is not a host name or an IP address a browser opens")
    if port == 0:
        raise BadPublicURL("its port is 0")
    return parts


def _is_local(host: str | None) -> bool:
    """Whether ``host`` names this computer only (loopback, the wildcard addresses,
    ``localhost`` and its subdomains): an address that, on a phone, is the phone."""
    host = (host or "localhost").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    with contextlib.suppress(ValueError):
        ip = ipaddress.ip_address(host)
        ip = getattr(ip, "ipv4_mapped", None) or ip
        return ip.is_loopback or ip.is_unspecified
    return False


def best_lan_address(interfaces: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The (interface, address) phones on the same network most likely reach, or None.

    Private IPv4 (10/8, 172.16/12, 192.168/16) first, then other IPv4, then IPv6 that
    needs no zone; interfaces of containers, virtual machines and VPNs after all of
    those, and IPv4 link-local (169.254/16) last. Never loopback, a wildcard, multicast
    or IPv6 link-local (browsers cannot open an address with a zone). Ties keep the
    order the system lists them in.

    >>> best_lan_address([("lo", "127.0.0.1"), ("docker0", "172.17.0.1"),
    ...                   ("wlan0", "fe80::1%wlan0"), ("wlan0", "192.168.1.23")])
    ('wlan0', '192.168.1.23')
    >>> best_lan_address([("lo", "::1")]) is None
    True
    """
    ranked = []
    for name, address in interfaces:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_unspecified or ip.is_multicast:
            continue
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.is_link_local or ip.scope_id or ip.ipv4_mapped is not None:
                continue
            kind = 2
        elif ip.is_link_local:
            kind = 9
        else:
            kind = 0 if any(ip in net for net in _RFC1918) else 1
        virtual = name.lower().startswith(_VIRTUAL)
        ranked.append(((kind == 9, virtual, kind), name, str(ip)))
    return min(ranked, key=lambda r: r[0])[1:] if ranked else None  # the first of a tie


def _netloc(host: str, port: int | None) -> str:
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return host if port is None else f"{host}:{port}"


def choose(
    page_url: str,
    query: str,
    *,
    public_url: str | None,
    listen: str | None,
    interfaces: Callable[[], Iterable[tuple[str, str]]],
) -> JoinLink:
    """The students' link, and a note for the teacher's panel.

    Parameters
    ----------
    page_url
        The page's own address, as the teacher's browser reported it.
    query
        The link's query, e.g. ``"class=K7MX3P"``.
    public_url
        ``RELULAB_PUBLIC_URL`` (None or blank: not set).
    listen
        Streamlit's ``server.address`` (None, ``0.0.0.0`` or ``::``: every address).
    interfaces
        Reads this computer's (interface name, address) pairs; called only when the
        page is served as a loopback address and ``public_url`` gives no link.

    Examples
    --------
    >>> choose("https://relulab.streamlit.app/", "class=K7MX3P", public_url=None,
    ...        listen=None, interfaces=list)
    JoinLink(url='https://relulab.streamlit.app/?class=K7MX3P', note=None, alert=False)
    >>> url, note, _ = choose("http://localhost:8501/", "class=K7MX3P", public_url=None,
    ...                    listen=None, interfaces=lambda: [("en0", "192.168.1.23")])
    >>> url
    'http://192.168.1.23:8501/?class=K7MX3P'
    """
    page = urlsplit(page_url)
    path = page.path or "/"
    own = urlunsplit((page.scheme, page.netloc, path, query, ""))
    if not _is_local(page.hostname):
        return JoinLink(own, None)
    problem = ""
    if public_url is not None and public_url.strip():
        try:
            base = check_public_url(public_url.strip())
        except BadPublicURL as e:
            problem = f"{ENV} is not used: {e}. "
        else:
            netloc = _netloc(base.hostname, base.port)  # an empty port ("host:") dropped
            url = urlunsplit((base.scheme, netloc, base.path or "/", query, ""))
            return JoinLink(url, f"This link is the address set in {ENV}, `{netloc}`.")
    if listen and listen not in ("0.0.0.0", "::"):
        host = listen.removeprefix("unix://")
        if listen.startswith("unix://") or _is_local(host):
            return JoinLink(
                own,
                problem + f"This server listens only on `{host}`, so phones cannot reach "
                f"it: start it with `make run` (which listens on every address), or set "
                f"{ENV}.",
                alert=True,
            )
        uses, net = f"the address this server listens on, `{host}`", "network"
    elif found := best_lan_address(interfaces()):
        name, host = found
        uses, net = f"this computer's network address, `{host}` ({name})", "Wi-Fi"
    else:
        return JoinLink(
            own,
            problem + "No network address found on this computer, so phones cannot reach "
            f"this link: connect this computer to the class's Wi-Fi, or set {ENV}.",
            alert=True,
        )
    url = urlunsplit((page.scheme, _netloc(host, page.port), path, query, ""))
    note = f"This link uses {uses}: phones must be on the same {net} as this computer."
    return JoinLink(url, problem + note, alert=bool(problem))


def interface_addresses() -> list[tuple[str, str]]:
    """This computer's (interface name, IP address) pairs, as its network interfaces
    list them (psutil reads them from the operating system; nothing is sent). Empty
    when the system refuses to list them (a locked-down sandbox): the panel then says
    that no network address was found, rather than failing."""
    try:
        listed = psutil.net_if_addrs()
    except OSError:
        return []
    ip = (socket.AF_INET, socket.AF_INET6)
    return [(name, a.address) for name, al in listed.items() for a in al if a.family in ip]
