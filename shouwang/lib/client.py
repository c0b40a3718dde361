"""The visitor's address, as seen through the proxies the deployment declares.

`PROXY_COUNT` is the number of reverse proxies in front of the app. Each
appends the address it received the request from to `X-Forwarded-For`, and the
nearest one is `REMOTE_ADDR`; so the visitor is the `PROXY_COUNT`-th address
from the right of the header. Anything further left was written by the visitor
and is never believed. Login lockout (axes, through `AXES_CLIENT_IP_CALLABLE`)
and the public mailboxes' limits both count this address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

# A network is the unit of "one source": a home or office router hands out
# addresses from one IPv4 /24 or one IPv6 /64.
IPV4_PREFIX = 24
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR without proxies, else from X-Forwarded-For."""
    proxies = settings.PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None
    if not proxies:
        return remote
    # ipware counts the proxies listed in the header, which leaves out the one
    # we hear from (REMOTE_ADDR): hence one fewer. Not strict: a visitor may
    # prepend addresses of their own, which the count from the right skips.
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    # A request that reached us without passing through every proxy (from the
    # proxy's own machine, a health probe) has too short a header: it is
    # counted by the address we hear it from.
    return address or remote


def client_network(address: str | None) -> str:
    """The /24 (IPv4) or /64 (IPv6) network of an address, e.g. "10.1.2.0/24"."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
