"""``bench_transfer --source spotify``: Spotify and Amazon Music both ways, through the stand-ins.

Phase 1, Spotify -> Amazon: a Spotify person's Liked Songs (``--tracks``, 5,000 by default) are
read through the Spotify client (50 a page), matched against the Amazon catalog and written to a
new Amazon playlist by real Celery workers. Phase 2, Amazon -> Spotify: an Amazon playlist of
``--copy`` tracks (1,000) is matched against Spotify's search and written to a new Spotify
playlist (100 a call). For each phase: wall time from the first read to the last write,
tracks/s, calls per track on each side (as the sandbox and the Spotify stand-in counted them),
429s, and the share of tracks matched by ISRC. The Amazon side runs at ``--rate`` requests/s,
Spotify's at ``--spotify-rate`` calls per rolling 30 s (0: unlimited).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test.utils import override_settings
from django.utils import timezone

from devtools.measuring import (
    clear_matching_caches,
    measuring_person,
    product_pointed_at,
    requests_served,
    start_sandbox,
)
from devtools.sandbox_server import SandboxServer, ServiceStandIns
from devtools.workers import WorkerPool, worker_env
from transfer.amazon.clients import music_client_for
from transfer.connections.sources import service_read
from transfer.spotify.services import spotify_store_login
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import job_start, jobs_create

FINAL = (TransferJob.State.DONE, TransferJob.State.FAILED, TransferJob.State.CANCELLED)


def spotify_settings(standins: ServiceStandIns) -> dict[str, Any]:
    return {
        "SPOTIFY_API_URL": standins.spotify_api,
        "SPOTIFY_TOKEN_URL": f"{standins.spotify_accounts}/api/token",
        "SPOTIFY_AUTHORIZE_URL": f"{standins.spotify_accounts}/authorize",
        "SPOTIFY_CLIENT_ID": "sandbox-spotify-client",
        "SPOTIFY_CLIENT_SECRET": "sandbox-spotify-secret",
    }


def run(command: Any, options: dict[str, Any]) -> dict[str, Any]:
    note = command._note
    note(f"Starting a sandbox with {options['catalog']:,} tracks...")
    sandbox = start_sandbox(
        seed_args=[
            "sandbox_seed",
            "--tracks",
            str(options["catalog"]),
            "--seed",
            str(options["seed"]),
        ]
    )
    standins = ServiceStandIns(sandbox)
    try:
        sandbox.configure(rate_limit=options["rate"])
        standins.spotify("POST", "config", {"rate_limit": options["spotify_rate"]})
        extra = spotify_settings(standins)
        with ExitStack() as stack:
            stack.enter_context(product_pointed_at(sandbox, rate_limit=options["rate"]))
            stack.enter_context(override_settings(**extra))
            user = stack.enter_context(measuring_person(sandbox, "bench-spotify"))
            name = f"bench-{uuid.uuid4().hex[:8]}"
            note(f"Creating a Spotify person with {options['tracks']:,} Liked Songs...")
            standins.spotify_person(name, liked=options["tracks"])
            token = standins.spotify_token(name)
            spotify_store_login(
                user=user,
                account_id=name,
                name=name,
                email="",
                expires_at=timezone.now() + dt.timedelta(hours=1),
                access_token=str(token["access_token"]),
                refresh_token=str(token["refresh_token"]),
            )
            clear_matching_caches(user.pk)
            # Which Amazon recording each Spotify track is, as the stand-in built it.
            truth = {
                f"spotify:track:{t['id']}": t["asin"]
                for t in standins.spotify("GET", f"accounts/{name}")["liked"]
            }
            env = worker_env(**{k: str(v) for k, v in extra.items()})
            inbound = _phase(
                command,
                options,
                sandbox,
                standins,
                user,
                env,
                "spotify -> amazon",
                lambda: _inbound_job(user),
                truth,
            )
            outbound = _phase(
                command,
                options,
                sandbox,
                standins,
                user,
                env,
                "amazon -> spotify",
                lambda: _outbound_job(user, inbound, options),
            )
    finally:
        sandbox.stop()
    return {
        "rate_limit": options["rate"],
        "spotify_rate_per_30s": options["spotify_rate"],
        "workers": options["workers"],
        "catalog_tracks": options["catalog"],
        "phases": [inbound, outbound],
    }


def _inbound_job(user: User) -> TransferJob:
    [record] = service_read(user_id=user.pk, source="spotify_liked", refs=[])
    [job] = jobs_create(
        user=user,
        playlists=[record],
        source_kind="spotify_liked",
        source_format="Spotify",
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="bench from Spotify",
        accept_suggestions=True,
    )
    return job


def _outbound_job(user: User, inbound: dict[str, Any], options: dict[str, Any]) -> TransferJob:
    # Setup: an Amazon playlist of --copy tracks (from phase 1's written tracks).
    source = TransferJob.objects.get(id=inbound["job"])
    ids = list(
        dict.fromkeys(
            source.tracks.filter(write_state=SourceTrack.Write.WRITTEN)
            .order_by("position")
            .values_list("chosen_id", flat=True)
        )
    )[: options["copy"]]
    client = music_client_for(user.pk)
    playlist = client.create_playlist("bench to Spotify")
    client.add_playlist_tracks(playlist.id, ids)
    record = sources.read_amazon_playlist(user_id=user.pk, playlist_id=playlist.id)
    [job] = jobs_create(
        user=user,
        playlists=[record],
        source_kind="amazon_playlist",
        source_ref=playlist.id,
        destination=TransferJob.Destination.SPOTIFY_NEW_PLAYLIST,
        destination_name="bench from Amazon",
        accept_suggestions=True,
    )
    return job


def _phase(
    command: Any,
    options: dict[str, Any],
    sandbox: SandboxServer,
    standins: ServiceStandIns,
    user: User,
    env: dict[str, str],
    name: str,
    make_job: Any,
    truth: dict[str, str] | None = None,
) -> dict[str, Any]:
    note = command._note
    pool = WorkerPool(options["workers"], concurrency=options["concurrency"], env=env)
    pool.start()
    try:
        pool.wait_ready()
        amazon_before, amazon_429_before = requests_served(sandbox.stats(), sandbox.api_key)
        spotify_before = standins.spotify("GET", "stats")
        started = time.monotonic()
        job = make_job()  # the source is read here: it counts
        read_seconds = time.monotonic() - started
        job_start(job=job)
        note(f"Phase {name}: {job.track_count:,} tracks (read in {read_seconds:.1f} s)")
        deadline = started + options["timeout"]
        while True:
            job.refresh_from_db(fields=["state"])
            if job.state in FINAL:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} still {job.state} after the timeout")
            time.sleep(0.25)
        seconds = time.monotonic() - started
        amazon_after, amazon_429_after = requests_served(sandbox.stats(), sandbox.api_key)
        spotify_after = standins.spotify("GET", "stats")
    finally:
        pool.stop()
    job.refresh_from_db()
    tracks = job.tracks
    count = job.track_count
    isrc = tracks.filter(method="isrc").count()
    result = {
        "name": name,
        "job": str(job.id),
        "state": job.state,
        "error": job.error,
        "tracks": count,
        "seconds": round(seconds, 1),
        "read_seconds": round(read_seconds, 1),
        "tracks_per_second": round(count / seconds, 2) if seconds else 0,
        "amazon_calls": amazon_after - amazon_before,
        "amazon_429s": amazon_429_after - amazon_429_before,
        "spotify_calls": spotify_after["requests"] - spotify_before["requests"],
        "spotify_429s": spotify_after["throttled"] - spotify_before["throttled"],
        "matched": tracks.filter(band=SourceTrack.Band.MATCHED).count(),
        "review": tracks.filter(band=SourceTrack.Band.REVIEW).count(),
        "not_found": tracks.filter(band=SourceTrack.Band.NOT_FOUND).count(),
        "written": tracks.filter(write_state=SourceTrack.Write.WRITTEN).count(),
        "matched_by_isrc": isrc,
        "isrc_share": round(isrc / count, 4) if count else 0,
        "retries": job.retries,
    }
    result["amazon_calls_per_track"] = round(result["amazon_calls"] / count, 3) if count else 0
    result["spotify_calls_per_track"] = round(result["spotify_calls"] / count, 3) if count else 0
    result.update(_repeats(job, truth or {}))
    note(f"Phase {name}: {job.state} in {seconds:.1f} s")
    return result


def _repeats(job: TransferJob, truth: dict[str, str]) -> dict[str, Any]:
    """The matched tracks not written because an earlier track of the job became the same
    Amazon track: how many share that track's ISRC (one recording, listed twice on Spotify),
    how many of them the stand-in says are that very recording, and a few examples."""
    fields = ("position", "title", "artists", "album", "isrc", "source_id", "chosen_id", "method")
    rows = list(job.tracks.exclude(chosen_id="").order_by("position").values(*fields, "chosen"))
    first: dict[str, dict[str, Any]] = {}
    repeats = []
    for row in rows:
        earlier = first.setdefault(row["chosen_id"], row)
        if earlier is not row:
            repeats.append((row, earlier))
    same_isrc = sum(1 for row, earlier in repeats if row["isrc"] and row["isrc"] == earlier["isrc"])
    known = [(row, earlier) for row, earlier in repeats if row["source_id"] in truth]
    # The stand-in's truth: the Amazon recording each Spotify track was made from.
    right = sum(1 for row, _ in known if truth[row["source_id"]] == row["chosen_id"])
    same_truth = sum(
        1 for row, earlier in known if truth[row["source_id"]] == truth.get(earlier["source_id"])
    )
    exact = sum(1 for row in rows if truth.get(row["source_id"]) == row["chosen_id"])

    def line(row: dict[str, Any]) -> str:
        chosen = row["chosen"] or {}
        return (
            f"#{row['position']} {row['title']!r} by {', '.join(row['artists'])} "
            f"({row['album']!r}, ISRC {row['isrc'] or '-'}, {row['method']}) -> "
            f"{row['chosen_id']} {chosen.get('title')!r} ({chosen.get('album')!r}, "
            f"ISRC {chosen.get('isrc') or '-'}); stand-in truth {truth.get(row['source_id'], '?')}"
        )

    return {
        "repeats": len(repeats),
        "repeats_same_isrc": same_isrc,
        "repeats_truth_known": len(known),
        "repeats_chosen_is_truth": right,
        "repeats_same_recording_in_truth": same_truth,
        "chosen_is_truth": exact,
        "truth_known": sum(1 for row in rows if row["source_id"] in truth),
        "repeat_examples": [[line(earlier), line(row)] for row, earlier in repeats[:4]],
    }


def print_report(out: Any, report: dict[str, Any]) -> None:
    out(
        f"bench_transfer --source spotify: Amazon limit T = {report['rate_limit']:g} req/s, "
        f"Spotify {report['spotify_rate_per_30s'] or 'unlimited'} calls/30 s, "
        f"{report['workers']} workers, catalog {report['catalog_tracks']:,} tracks"
    )
    header = (
        f"{'phase':<18} {'tracks':>6} {'state':>6} {'wall s':>7} {'tracks/s':>8} "
        f"{'amz calls/trk':>13} {'spt calls/trk':>13} {'by ISRC':>8} {'429s a/s':>9}"
    )
    out(header)
    out("-" * len(header))
    for p in report["phases"]:
        out(
            f"{p['name']:<18} {p['tracks']:>6,} {p['state']:>6} {p['seconds']:>7.1f} "
            f"{p['tracks_per_second']:>8.1f} {p['amazon_calls_per_track']:>13.3f} "
            f"{p['spotify_calls_per_track']:>13.3f} {p['isrc_share']:>8.1%} "
            f"{p['amazon_429s']:>4}/{p['spotify_429s']:<4}"
        )
    for p in report["phases"]:
        out(
            f"{p['name']}: {p['matched']:,} matched ({p['matched_by_isrc']:,} by ISRC), "
            f"{p['review']:,} review, {p['not_found']:,} not found, {p['written']:,} written; "
            f"{p['amazon_calls']:,} Amazon calls, {p['spotify_calls']:,} Spotify calls; source "
            f"read in {p['read_seconds']:.1f} s; task retries {p['retries']}"
            + (f"; error: {p['error']}" if p["error"] else "")
        )
    for p in report["phases"]:
        if p.get("truth_known"):
            out(
                f"{p['name']}: {p['chosen_is_truth']:,} of {p['truth_known']:,} matched to the "
                f"very Amazon track the stand-in made them from"
            )
        out(
            f"{p['name']}: {p['repeats']:,} not written as an earlier track's Amazon track again "
            f"({p['repeats_same_isrc']:,} with that track's ISRC"
            + (
                f"; stand-in truth: {p['repeats_same_recording_in_truth']:,} of "
                f"{p['repeats_truth_known']:,} made from that same Amazon track"
                if p.get("repeats_truth_known")
                else ""
            )
            + ")"
        )
        for earlier, row in p["repeat_examples"]:
            out(f"  first  {earlier}")
            out(f"  repeat {row}")


__all__ = ["print_report", "run", "settings"]
