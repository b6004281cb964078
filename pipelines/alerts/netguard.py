"""Outbound HTTP that cannot be steered inside: resolve once, allow public IPs only, pin the IP.

Validate-then-fetch is not enough (DNS rebinding, mlflow#24179): the address that was checked
is the address connected to, with the Host header and TLS SNI/hostname check set to the name.
Redirects are never followed (http.client does not follow them).
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: (host, port) → the host's addresses, in preference order
Resolver = Callable[[str, int], Sequence[str]]
#: (ip, port, timeout) → a connected socket
Connector = Callable[[str, int, float], socket.socket]
_LEGACY_IPV4 = re.compile(r"[0-9a-fA-FxX.]+")
#: bytes of a response body we read (and drop): receivers answer with a status, not content
MAX_BODY = 65536


class BlockedTargetError(ValueError):
    """The URL may not be called: wrong scheme, or it resolves to an internal address."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def system_connector(ip: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((ip, port), timeout=timeout)


def is_public(ip: IPAddress) -> bool:
    """A globally routable unicast address (IPv4-mapped and 6to4/Teredo forms unwrapped)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and not is_public(inner):
            return False
    special = (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
               or ip.is_reserved or ip.is_unspecified)  # fmt: skip
    return ip.is_global and not special


def literal_address(host: str) -> IPAddress | None:
    """The address a host literal denotes, legacy IPv4 forms included ("2130706433", "0x7f.1")."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not _LEGACY_IPV4.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the operator's allow-list (host names, addresses, networks)."""

    allow: tuple[str, ...] = ()
    _names: frozenset[str] = field(init=False, repr=False)
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        init=False, repr=False
    )

    def __post_init__(self) -> None:
        names, networks = set(), []
        for entry in self.allow:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                names.add(entry.strip().lower().rstrip("."))
        object.__setattr__(self, "_names", frozenset(names))
        object.__setattr__(self, "_networks", tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self._names

    def listed(self, host: str, ip: IPAddress) -> bool:
        """The operator named this host, or a network holding this address."""
        if self.allows_host(host):
            return True
        return any(ip.version == net.version and ip in net for net in self._networks)

    def permits(self, host: str, ip: IPAddress) -> bool:
        return is_public(ip) or self.listed(host, ip)


@dataclass(frozen=True)
class Target:
    """Where one request goes: the URL's name and path, and the one IP we connect to."""

    scheme: str
    host: str
    port: int
    path: str
    ip: str


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path?query) of an http(s) URL with a host; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedTargetError("must be an http(s) URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise BlockedTargetError("has an invalid port") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve_target(url: str, policy: AddressPolicy, resolver: Resolver) -> Target:
    """Resolve once and check every address; BlockedTargetError if any is internal and not allowed.

    OSError (DNS failure) is left to the caller: it is transient.
    """
    scheme, host, port, path = split_url(url)
    literal = literal_address(host)
    addresses = [literal] if literal else [_parse(a) for a in resolver(host, port)]
    if not addresses:
        raise OSError(f"no address found for {host}")
    for ip in addresses:
        if not policy.permits(host, ip):
            raise BlockedTargetError(
                f"host {host!r} resolves to {ip}, an internal address; list it in "
                "alerts.webhook.allow_internal if you trust it"
            )
    return Target(scheme, host, port, path, str(addresses[0]))


def _parse(address: str) -> IPAddress:
    return ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    #: the socket peer we actually talked to
    peer: tuple[str, int] | None


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float, connector: Connector) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._target, self._connector, self._timeout = target, connector, timeout

    def connect(self) -> None:
        self.sock = self._connector(self._target.ip, self._target.port, self._timeout)


class _PinnedHTTPS(_PinnedHTTP):
    def __init__(
        self, target: Target, timeout: float, connector: Connector, context: ssl.SSLContext
    ) -> None:
        super().__init__(target, timeout, connector)
        self._tls = context

    def connect(self) -> None:
        super().connect()
        # SNI and certificate hostname check against the name, not the pinned IP
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self._target.host)


def post(
    target: Target,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    connector: Connector = system_connector,
    context: ssl.SSLContext | None = None,
) -> Reply:
    """POST ``body`` to the pinned target and return its status (no redirect is followed)."""
    conn: _PinnedHTTP
    if target.scheme == "https":
        conn = _PinnedHTTPS(target, timeout, connector, context or ssl.create_default_context())
    else:
        conn = _PinnedHTTP(target, timeout, connector)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        peer = _peer(conn.sock)
        response = conn.getresponse()
        response.read(MAX_BODY)
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, peer)
    finally:
        conn.close()


def _peer(sock: socket.socket | None) -> tuple[str, int] | None:
    try:
        name = sock.getpeername() if sock is not None else None
    except OSError:
        return None
    return (str(name[0]), int(name[1])) if name else None
