"""Where the SIP server is: RFC 3263 §4 (NAPTR, SRV, then A) through dnspython.

Owns :func:`locate`, run in a worker thread (never on the ``sip-core`` loop: each query
blocks), which turns ``server``, ``port`` and ``transport`` into an ordered list of
(address, port) to try:

* an IP address: itself, at ``port`` or the transport's default (5060, 5061 for TLS);
* a host name with an explicit ``port`` (not 0): its A records only (§4.2);
* a host name with ``port = 0``: its NAPTR records (RFC 3403), keeping those whose service
  is our transport (``SIP+D2U``, ``SIP+D2T``, ``SIPS+D2T``), in order and preference, lead
  to SRV names; without one, ``_sip._udp``, ``_sip._tcp`` or ``_sips._tcp`` + the name. The
  SRV records (RFC 2782) are tried by priority, weighted at random within one, each target's A
  records in turn; with no SRV record, the name's A records at the default port.

The SIP stack speaks IPv4 only (its parser, SDP and RTP sockets): a name's AAAA records are
read too, but only to say so — a target with IPv6 addresses alone is skipped (logged), and a
server reached through IPv6 alone is refused with a sentence saying that, rather than "no
address".

A name that DNS does not know (``localhost``, a name in ``/etc/hosts``) falls back to the
system's resolver (``getaddrinfo``). ``nameserver`` (``"127.0.0.1:5353"``, programmatic
only) points the queries at one server: the tests' DNS server on loopback.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
from dataclasses import dataclass
from typing import Any

from tws_tui.platform.extras import install_hint
from tws_tui.platform.i18n import _

try:
    import dns.exception
    import dns.resolver
except ModuleNotFoundError as missing:  # pragma: no cover - the "sip" extra installs it
    raise ImportError(
        _("the sip backend needs dnspython ({missing}); {hint}").format(
            missing=missing, hint=install_hint("sip")
        )
    ) from missing

log = logging.getLogger(__name__)

#: Our transport → (NAPTR service, SRV prefix, default port).
_SERVICES = {
    "udp": ("SIP+D2U", "_sip._udp.", 5060),
    "tcp": ("SIP+D2T", "_sip._tcp.", 5060),
    "tls": ("SIPS+D2T", "_sips._tcp.", 5061),
}


class LocateError(OSError):
    """The server's name leads to no address."""


@dataclass(frozen=True)
class Target:
    host: str  # the IPv4 address
    port: int
    via: str  # how it was found, for the log: "ip", "A", "SRV _sip._tcp.example.com"…


def _resolver(nameserver: str) -> dns.resolver.Resolver:
    if not nameserver:
        return dns.resolver.Resolver()
    resolver = dns.resolver.Resolver(configure=False)
    host, _, port = nameserver.rpartition(":")
    resolver.nameservers = [host or nameserver]
    resolver.port = int(port) if host and port.isdigit() else 53
    resolver.lifetime = 3.0
    return resolver


def _query(resolver: dns.resolver.Resolver, name: str, kind: str) -> list[Any]:
    try:
        return list(resolver.resolve(name, kind, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
        return []
    except dns.exception.DNSException as error:
        log.info("DNS %s %s: %s", kind, name, error)
        return []


def _addresses(resolver: dns.resolver.Resolver, name: str) -> list[str]:
    found = [str(record) for record in _query(resolver, name, "A")]
    if found:
        return found
    try:  # /etc/hosts, mDNS…: the system knows names DNS does not
        infos = socket.getaddrinfo(name, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _ipv6(resolver: dns.resolver.Resolver, name: str) -> list[str]:
    """The name's IPv6 addresses (AAAA), which this IPv4 stack cannot use."""
    return [str(record) for record in _query(resolver, name, "AAAA")]


def _by_priority_and_weight(records: list[Any]) -> list[Any]:
    """RFC 2782: lowest priority first; within one, a weighted random order."""
    ordered: list[Any] = []
    for priority in sorted({r.priority for r in records}):
        group = [r for r in records if r.priority == priority]
        while group:
            weights = [r.weight + 1 for r in group]
            pick = random.choices(range(len(group)), weights)[0]
            ordered.append(group.pop(pick))
    return ordered


def locate(server: str, port: int, transport: str, nameserver: str = "") -> list[Target]:
    """The addresses to try for ``server``, in order (see the module docstring)."""
    service, prefix, default = _SERVICES[transport]
    try:
        ipaddress.IPv4Address(server)
    except ValueError:
        pass
    else:
        return [Target(server, port or default, "ip")]
    resolver = _resolver(nameserver)
    ipv6_only: list[str] = []  # hosts skipped: IPv6 addresses and no IPv4 one

    def ipv4_of(host: str) -> list[str]:
        found = _addresses(resolver, host)
        if not found and (v6 := _ipv6(resolver, host)):
            log.warning("SIP server %s has IPv6 addresses only (%s): skipped", host, v6[0])
            ipv6_only.append(host)
        return found

    if port:
        targets = [Target(ip, port, "A") for ip in ipv4_of(server)]
    else:
        names = [
            str(r.replacement)
            for r in sorted(
                _query(resolver, server, "NAPTR"),
                key=lambda r: (r.order, r.preference),
            )
            if r.service.decode().upper() == service and r.flags.decode().lower() == "s"
        ] or [prefix + server.rstrip(".") + "."]
        targets = []
        for name in names:
            for srv in _by_priority_and_weight(_query(resolver, name, "SRV")):
                host = str(srv.target).rstrip(".")
                for ip in ipv4_of(host):
                    targets.append(Target(ip, srv.port, f"SRV {name}"))
            if targets:
                break
        if not targets:
            targets = [Target(ip, default, "A") for ip in ipv4_of(server)]
    if not targets and ipv6_only:
        raise LocateError(
            f"{server}: reachable over IPv6 only ({', '.join(dict.fromkeys(ipv6_only))});"
            " this softphone speaks SIP over IPv4"
        )
    if not targets:
        raise LocateError(f"{server}: no address (NAPTR, SRV, A)")
    return list(dict.fromkeys(targets))
