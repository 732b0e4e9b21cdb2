"""Which addresses the fetcher may reach (SSRF), and an httpx client that connects only to those.

Unless ``allow_private_addresses`` is set, a URL is fetched only when every address its host
resolves to is public (``public_address_problem``): loopback, private, link-local (cloud
metadata at 169.254.169.254), shared (100.64/10), multicast, reserved, unspecified and
documentation ranges are refused, and so are IPv6 forms that embed such an IPv4 address
(IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64). ``guarded_client`` is the fetcher's own
client: its network backend (``GuardedBackend``) resolves the host, checks the addresses and
connects to exactly those, so DNS rebinding cannot slip through. ``claimledger.ingest.fetch``
runs the same check before each request, for a clear error (its docstring lists the residual
risks).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

import httpcore
import httpx

__all__ = [
    "GuardedBackend",
    "Refused",
    "Resolver",
    "guarded_client",
    "host_addresses",
    "public_address_problem",
    "resolve_host",
]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")

Resolver = Callable[[str, int], list[str]]
"""``resolve(host, port)`` → the host's IP addresses as strings; raises ``OSError`` when it cannot."""


def resolve_host(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to, in the resolver's order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def host_addresses(resolve: Resolver, host: str, port: int) -> list[str]:
    """An IP address as written, else what ``resolve`` says (which may read ``2130706433`` as 127.0.0.1)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return resolve(host, port)
    return [host]


def public_address_problem(address: str) -> str | None:
    """None when ``address`` is a public IP address, else what it is ("loopback", "private", ...)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d
            return public_address_problem(str(ip.ipv4_mapped))
        problem = _ip_problem(ip)
        if problem is not None:
            return problem
        embedded = [ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for inner in embedded:
            inner_problem = _ip_problem(inner) if inner is not None else None
            if inner_problem is not None:
                return f"{inner_problem} IPv4 address ({inner}) inside an IPv6"
        return None
    return _ip_problem(ip)


def _ip_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared (carrier-grade NAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


class Refused(Exception):
    """The connection itself found a non-public address (the host changed its answer)."""

    def __init__(self, host: str, address: str, problem: str) -> None:
        super().__init__(f"{host} resolves to {address}")
        self.host, self.address, self.problem = host, address, problem


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, refuses non-public addresses, and connects to the checked addresses only."""

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = host_addresses(self._resolve, host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from exc
        for address in addresses:
            problem = public_address_problem(address)
            if problem is not None:
                raise Refused(host, address, problem)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("claimledger does not fetch over Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_client(resolve: Resolver) -> httpx.Client:
    ssl_context = httpx.create_ssl_context()
    transport = httpx.HTTPTransport(verify=ssl_context)
    # httpx has no public hook for the network backend; the pool is rebuilt with ours, with
    # httpx's TLS and pool defaults. test_fetch checks at connect time that the guard is in place.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=httpx.Limits().max_connections,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(resolve),
    )
    return httpx.Client(transport=transport)  # a transport given: httpx uses no proxy from the environment
