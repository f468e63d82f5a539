"""Fetching a playlist file from a URL the person gave, without letting the URL reach inside.

A URL is a request the server makes on someone's behalf, so it is bounded three ways: a byte
cap (read as a stream, stopped at the first byte too many), a timeout for connecting and reading
plus an overall deadline, and no connection to private, loopback, link-local or otherwise
non-public addresses unless ``allow_private`` says so. The address check runs inside the
connection itself, on the very address it connects to: a host name is resolved once, every
address it resolves to must be public, and the socket connects to that checked address. A DNS
answer that changes between a check and the connection (DNS rebinding), or a redirect to an
internal host, meets the same check. Proxies from the environment are ignored, since they would
connect on our behalf where the check cannot see.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """The file could not be fetched; ``transient`` says whether trying later may help."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient


class BlockedAddress(FetchError):
    """The URL leads to an address this server must not connect to."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    filename: str
    content_type: str
    final_url: str


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL if it is an http(s) URL to a public host; FetchError explaining why not."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise FetchError("Give a web address that starts with http:// or https://.")
    if not parts.hostname:
        raise FetchError("That web address has no host name.")
    if parts.username or parts.password:
        raise FetchError("Web addresses with a user name or password are not supported.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("That web address has an invalid port.") from None
    if not allow_private:
        resolve_public(parts.hostname, port)
    return url.strip()


def resolve_public(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, all of them public, or BlockedAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"Could not find the host {host!r}.", transient=True) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not is_public(address):
            raise BlockedAddress(
                f"{host} is on a private or local network, which this server may not fetch from."
            )
    if not addresses:
        raise FetchError(f"Could not find the host {host!r}.", transient=True)
    return addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _CheckedConnectionMixin:
    """Connect only to addresses that pass ``resolve_public``, and to exactly those."""

    _dns_host: str
    port: int

    def _new_conn(self) -> socket.socket:
        host, port = self._dns_host, self.port
        last_error: Exception | None = None
        for address in resolve_public(host, port):
            # urllib3 connects to _dns_host; the Host header and TLS name still use the name.
            self._dns_host = address
            try:
                return super()._new_conn()  # type: ignore[misc]
            except Exception as exc:  # try the next address, as create_connection would
                last_error = exc
            finally:
                self._dns_host = host
        assert last_error is not None
        raise last_error


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        manager: PoolManager = self.poolmanager
        manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


def _session(allow_private: bool) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = MAX_REDIRECTS
    session.headers["User-Agent"] = "MusicTransfer-Sync/1.0"
    if not allow_private:
        adapter = _PublicOnlyAdapter(max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session


def fetch_url(url: str, *, max_bytes: int, timeout: float, allow_private: bool) -> Fetched:
    """GET the URL and return its body, within the limits. Raises FetchError."""
    url = check_url(url, allow_private=allow_private)
    deadline = time.monotonic() + timeout
    try:
        with (
            _session(allow_private) as session,
            session.get(url, stream=True, timeout=(min(5.0, timeout), timeout)) as response,
        ):
            if response.status_code >= 400:
                transient = response.status_code >= 500 or response.status_code == 429
                raise FetchError(
                    f"The server answered {response.status_code} {response.reason}.",
                    transient=transient,
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_too_big(max_bytes))
            body = bytearray()
            for chunk in response.iter_content(CHUNK):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise FetchError(_too_big(max_bytes))
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"The file took longer than {timeout:g} seconds to download.",
                        transient=True,
                    )
            return Fetched(
                data=bytes(body),
                filename=_filename(response),
                content_type=response.headers.get("Content-Type", ""),
                final_url=response.url,
            )
    except FetchError:
        raise
    except requests.exceptions.ConnectionError as exc:
        blocked = _blocked_cause(exc)
        if blocked is not None:
            raise blocked from None
        raise FetchError("Could not connect to that server.", transient=True) from None
    except requests.exceptions.Timeout:
        raise FetchError(
            f"The server did not answer within {timeout:g} seconds.", transient=True
        ) from None
    except requests.exceptions.TooManyRedirects:
        raise FetchError("The address redirects too many times.") from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"Could not fetch the file: {type(exc).__name__}.") from None


def _blocked_cause(exc: BaseException) -> BlockedAddress | None:
    """The BlockedAddress that urllib3 wrapped on its way up, if that is what happened."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, BlockedAddress):
            return current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return None


def _too_big(max_bytes: int) -> str:
    return f"The file is larger than {max_bytes / 1024 / 1024:.0f} MB."


def _filename(response: requests.Response) -> str:
    """The name the server gives the file, else the last part of the URL's path."""
    disposition = response.headers.get("Content-Disposition", "")
    if disposition:
        message = Message()
        message["Content-Disposition"] = disposition
        name = message.get_filename()
        if name:
            return PurePosixPath(name).name
    return PurePosixPath(unquote(urlsplit(response.url).path)).name or "playlist"
