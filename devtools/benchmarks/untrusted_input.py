"""Peak memory and time of reading hostile uploads: deep JSON and XML, by size.

Each case runs in a fresh Python process (``python -m devtools.benchmarks.untrusted_input
CASE BYTES [MAX_DEPTH]``) so that its peak resident memory (``ru_maxrss``) is its own; the
figure reported is that peak minus the same process's peak before parsing (imports, the
input itself). The input goes through ``sources.parse_upload``, the path uploads, pasted
lists and synced URLs all take.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

CASES = ("json-arrays", "json-objects", "xml-plist", "xspf", "text")


def make(case: str, size: int) -> tuple[bytes, str]:
    """An input of about ``size`` bytes that is as deep as that size allows."""
    if case == "json-arrays":
        return b"[" * size, "Playlist1.json"
    if case == "json-objects":
        depth = size // 6
        return b'{"a":' * depth + b"1" + b"}" * depth, "Playlist1.json"
    if case == "xml-plist":
        depth = size // 14
        head = b'<?xml version="1.0"?><plist version="1.0">'
        return head + b"<dict><key>k</key>" * depth, "Library.xml"
    if case == "xspf":
        depth = size // 7
        head = b'<playlist xmlns="http://xspf.org/ns/0/" version="1">'
        return head + b"<track>" * depth, "list.xspf"
    if case == "text":
        line = b"Artist - Title\n"
        return line * (size // len(line)), "pasted.txt"
    raise ValueError(case)


def run_one(case: str, size: int, max_depth: int | None) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfer.settings")
    django.setup()
    from django.test import override_settings

    from transfer.formats import Limits
    from transfer.transfers.services import sources
    from transfer.transfers.services.jobs import TransferError

    data, filename = make(case, size)
    if max_depth is not None:
        original = sources.upload_limits

        def upload_limits() -> Limits:
            limits = original()
            return Limits(
                max_bytes=limits.max_bytes, max_tracks=limits.max_tracks, max_depth=max_depth
            )

        sources.upload_limits = upload_limits
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with override_settings(TRANSFER_MAX_UPLOAD_BYTES=max(size * 2, 1024)):
        try:
            parsed = sources.parse_upload(data, filename)
            outcome = f"read {sum(len(p.tracks) for p in parsed.playlists)} tracks"
        except TransferError as exc:
            outcome = f"refused: {str(exc)[:70]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case,
        "bytes": len(data),
        "max_depth": max_depth if max_depth is not None else "default (64)",
        "added_peak_mb": round((peak - before) / 1024, 1),
        "seconds": round(seconds, 3),
        "outcome": outcome,
    }


def measure(case: str, size: int, max_depth: int | None = None) -> dict[str, Any]:
    """One case in a fresh process."""
    args = [sys.executable, "-m", "devtools.benchmarks.untrusted_input", case, str(size)]
    if max_depth is not None:
        args.append(str(max_depth))
    result = subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode != 0:
        return {"case": case, "bytes": size, "error": result.stderr.strip()[-300:]}
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    depth_arg = int(sys.argv[3]) if len(sys.argv) > 3 else None
    print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]), depth_arg)))
