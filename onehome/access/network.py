"""Who is at the other end: the client address for the audit log and the rate limits.

Behind a reverse proxy the peer (`REMOTE_ADDR`) is the proxy, so every client would share
one address (one rate-limit allowance, one address in the audit log). The proxy names the
client in `X-Forwarded-For`, but anyone can send that header, so it is believed only when
the peer is one of `settings.ONEHOME_TRUSTED_PROXIES`, and then read from the right: the
nearest address that is not itself a trusted proxy is the client (addresses further left
were written by the client and prove nothing).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: the peer, or what a trusted proxy says the client was."""
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.ONEHOME_TRUSTED_PROXIES))
    if peer is None or not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a garbled chain: trust only what we saw
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
