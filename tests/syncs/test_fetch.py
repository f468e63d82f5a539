"""Fetching a playlist file from a URL: within a size cap and a timeout, never from inside."""

from __future__ import annotations

import pytest

from tests.syncs.conftest import FileServer
from transfer.syncs.fetch import (
    BlockedAddress,
    Fetched,
    FetchError,
    _session,
    fetch_url,
    is_public,
)

M3U = b"#EXTM3U\n#EXTINF:206,Bruno Mars - When I Was Your Man\nsong.m4a\n"


def fetch(
    url: str, *, max_bytes: int = 1_000_000, timeout: float = 5.0, allow_private: bool = True
) -> Fetched:
    return fetch_url(url, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)


def test_it_fetches_a_playlist_file_and_names_it_after_the_path(file_server: FileServer) -> None:
    file_server.files["/lists/road%20trip.m3u8"] = M3U
    fetched = fetch(file_server.url("/lists/road%20trip.m3u8"))
    assert fetched.data == M3U
    assert fetched.filename == "road trip.m3u8"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/list.m3u",
        "http://localhost:{port}/list.m3u",
        "http://[::1]:{port}/list.m3u",
        "http://0.0.0.0:{port}/list.m3u",
        "http://10.1.2.3/list.m3u",
        "http://192.168.0.10/list.m3u",
        "http://172.16.5.4/list.m3u",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/list.m3u",
        "http://[::ffff:127.0.0.1]:{port}/list.m3u",
    ],
)
def test_it_refuses_private_loopback_and_link_local_addresses_without_connecting(
    file_server: FileServer, url: str
) -> None:
    file_server.files["/list.m3u"] = M3U
    with pytest.raises(BlockedAddress, match="private or local network"):
        fetch(url.format(port=file_server.port), allow_private=False)
    assert file_server.hits == 0


def test_the_connection_itself_refuses_a_private_address_whatever_checked_the_url(
    file_server: FileServer,
) -> None:
    # A redirect, or a DNS answer that changed since the URL was checked, reaches the
    # connection with a name that now points inside; the socket is never opened.
    file_server.files["/list.m3u"] = M3U
    with pytest.raises(BlockedAddress), _session(allow_private=False) as session:
        session.get(file_server.url("/list.m3u"), timeout=5)
    assert file_server.hits == 0


def test_public_addresses_pass_the_check() -> None:
    assert is_public("93.184.216.34")
    assert is_public("2606:2800:220:1:248:1893:25c8:1946")
    assert not is_public("127.0.0.1")
    assert not is_public("fe80::1")
    assert not is_public("::ffff:10.0.0.1")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/list.m3u", "gopher://x", "http://"]
)
def test_it_refuses_anything_but_http_and_https(url: str) -> None:
    with pytest.raises(FetchError):
        fetch(url, allow_private=False)


def test_it_refuses_a_user_name_in_the_url(file_server: FileServer) -> None:
    with pytest.raises(FetchError, match="user name"):
        fetch(f"http://me:secret@127.0.0.1:{file_server.port}/list.m3u")


def test_a_file_declared_larger_than_the_cap_is_refused(file_server: FileServer) -> None:
    file_server.files["/big.csv"] = b"x" * 300_000
    with pytest.raises(FetchError, match="larger than") as caught:
        fetch(file_server.url("/big.csv"), max_bytes=100_000)
    assert not caught.value.transient


def test_a_file_that_does_not_say_its_size_is_cut_off_at_the_cap(file_server: FileServer) -> None:
    file_server.files["/big.csv"] = b"x" * 1_000_000
    file_server.chunked = True
    with pytest.raises(FetchError, match="larger than"):
        fetch(file_server.url("/big.csv"), max_bytes=100_000)


def test_a_server_that_does_not_answer_in_time_is_given_up_on(file_server: FileServer) -> None:
    file_server.files["/slow.m3u"] = M3U
    file_server.stall_seconds = 3
    with pytest.raises(FetchError, match="did not answer") as caught:
        fetch(file_server.url("/slow.m3u"), timeout=0.5)
    assert caught.value.transient, "a slow server may answer later"


def test_server_errors_say_what_happened_and_whether_to_try_again(
    file_server: FileServer,
) -> None:
    with pytest.raises(FetchError, match="404") as missing:
        fetch(file_server.url("/nothing.m3u"))
    assert not missing.value.transient


def test_redirects_are_followed_to_the_file(file_server: FileServer) -> None:
    file_server.files["/real.m3u"] = M3U
    file_server.redirects["/old.m3u"] = file_server.url("/real.m3u")
    fetched = fetch(file_server.url("/old.m3u"))
    assert fetched.data == M3U
    assert fetched.filename == "real.m3u"
