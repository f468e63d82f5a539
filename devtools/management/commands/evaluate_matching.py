"""``manage.py evaluate_matching``: how often the matcher is right, on labelled pairs.

    manage.py evaluate_matching [--pairs FILE] [--split train|valid|all] [--decoys N]
                                [--strictness balanced] [--json]

FILE is labelled pairs in the format of sandbox/data/itunes_amazon_pairs.csv.gz (the
default). Two measurements (the arithmetic is in transfer/matching/evaluation.py):

* Pairwise: each pair of the split scored alone; precision and recall of "same track".
* Retrieval: a sandbox server is started with a generated catalog of ``--decoys`` tracks, the
  Amazon side of every row of the file is added to it with ``sandbox_load_catalog``, and every
  distinct iTunes-side row of the split is matched by the real pipeline over HTTP: a dry-run
  transfer job whose chunks go through ``services.matching.match_chunk``, the code the workers
  run. Reported: precision of the matched band, recall of matched plus review, the review and
  not-found rates. Goals: matched precision >= 0.99, recall >= 0.95.

Tune on ``train``, report ``valid``. Decision and catalog caches are cleared first, so nothing
is answered from an earlier run. ``--sandbox-url`` uses a running sandbox instead (with
``--sandbox-db`` its database file, so the listings can be loaded; without it the catalog is
taken as it is and listings are recognised by title and album).
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from devtools.measuring import (
    clear_matching_caches,
    measuring_person,
    product_pointed_at,
    requests_served,
    sandbox_manage,
    sigterm_as_exit,
    start_sandbox,
)
from transfer.formats.records import PlaylistRecord
from transfer.matching import evaluation
from transfer.matching.evaluation import LabelledPair, Outcome, PairsFileError, RowKey, percent
from transfer.matching.types import MatchPolicy, Strictness
from transfer.transfers.models import TransferJob
from transfer.transfers.services.jobs import jobs_create
from transfer.transfers.services.matching import match_chunk

DEFAULT_PAIRS = (
    Path(__file__).resolve().parents[3] / "sandbox" / "data" / "itunes_amazon_pairs.csv.gz"
)
STRICTNESS = tuple(Strictness)


class Command(BaseCommand):
    help = "Measure the matcher on labelled pairs: pairwise, and through the pipeline over HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="labelled pairs")
        parser.add_argument("--split", choices=("train", "valid", "all"), default="valid")
        parser.add_argument(
            "--decoys",
            type=int,
            default=20_000,
            help="size of the generated catalog the listings are loaded among (default 20000)",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of the generated catalog")
        parser.add_argument("--strictness", choices=STRICTNESS, default=Strictness.BALANCED)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--pairwise-only", action="store_true", help="skip the retrieval measurement"
        )
        parser.add_argument("--sandbox-url", default="", help="use this running sandbox")
        parser.add_argument(
            "--sandbox-db", type=Path, help="the running sandbox's database file (to load into)"
        )
        parser.add_argument(
            "--show-errors",
            type=int,
            default=10,
            help="list up to this many wrong matches (default 10)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with sigterm_as_exit():
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        path: Path = options["pairs"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            pairs = evaluation.read_pairs(path)
        except PairsFileError as error:
            raise CommandError(str(error)) from error
        chosen = evaluation.select(pairs, options["split"])
        if not chosen:
            raise CommandError(f"{path.name} has no pairs in the split {options['split']!r}")
        policy = MatchPolicy.named(options["strictness"])
        report: dict[str, Any] = {
            "pairs_file": str(path),
            "split": options["split"],
            "strictness": options["strictness"],
            "policy": {
                "match_threshold": policy.match_threshold,
                "review_threshold": policy.review_threshold,
                "min_margin": policy.min_margin,
            },
            "pairwise": evaluation.pairwise(chosen, policy).as_dict(),
        }
        if not options["pairwise_only"]:
            report["retrieval"] = self._retrieval(path, pairs, chosen, options)
        if options["json"]:
            self.stdout.write(json.dumps(report, sort_keys=False))
        else:
            self._print(report, options["show_errors"])

    # --- retrieval --------------------------------------------------------------------------

    def _retrieval(
        self,
        path: Path,
        pairs: list[LabelledPair],
        chosen: list[LabelledPair],
        options: dict[str, Any],
    ) -> dict[str, Any]:
        url: str = options["sandbox_url"]
        database: Path | None = options["sandbox_db"]
        started = time.monotonic()
        self._note(
            f"Starting a sandbox with {options['decoys']:,} generated tracks..."
            if not url
            else f"Using the sandbox at {url}...",
            options,
        )
        sandbox = start_sandbox(
            seed_args=[
                "sandbox_seed",
                "--tracks",
                str(options["decoys"]),
                "--seed",
                str(options["seed"]),
                "--without-pairs",
            ],
            url=url,
            database=database,
        )
        try:
            with tempfile.TemporaryDirectory(prefix="evaluate-matching-") as tmp:
                identities: list[str] | None = None
                if not url or database is not None:
                    ids_path = Path(tmp) / "ids.csv"
                    sandbox_manage(
                        sandbox, "sandbox_load_catalog", str(path), "--ids-out", str(ids_path)
                    )
                    identities = _loaded_ids(ids_path, len(pairs))
                prepared = time.monotonic()
                # Our own sandbox is ours alone: no rate limit. A running one keeps its own.
                rate = settings.AMAZON_MUSIC_RATE_LIMIT if url else 0
                with (
                    product_pointed_at(sandbox, rate_limit=rate),
                    measuring_person(sandbox, "evaluate") as user,
                ):
                    clear_matching_caches(user.pk)
                    before = requests_served(sandbox.stats(), sandbox.api_key)[0]
                    keys, outcomes = self._run_pipeline(user, path, chosen, identities, options)
                    calls = requests_served(sandbox.stats(), sandbox.api_key)[0] - before
                matched_at = time.monotonic()
        finally:
            sandbox.stop()
        if identities is None:
            identities = [
                evaluation.listing_identity(p.target_key[0], p.target_key[2]) for p in pairs
            ]
        truth = evaluation.build_truth(pairs, identities)
        result = evaluation.retrieval(outcomes, truth)
        listing = {i: " | ".join(p.target_key[:3]) for p, i in zip(pairs, identities, strict=True)}
        shown = [
            {
                "source": " | ".join(o.key),
                "chosen": o.chosen_text,
                "expected": [listing.get(i, i) for i in sorted(truth[o.key].positives)]
                if o.key in truth
                else [],
            }
            for o in result.wrong_rows
        ]
        unknown = [
            {"source": " | ".join(o.key), "chosen": o.chosen_text} for o in result.unknown_rows
        ]
        missed = [
            {"source": " | ".join(o.key), "band": o.band, "chosen": o.chosen_text}
            for o in result.missed_rows
        ]
        return {
            **result.as_dict(),
            "goals": evaluation.goals(result),
            "catalog": {
                "decoys": options["decoys"] if not url else None,
                # Distinct Amazon-side listings of the file (loaded, or expected in the catalog).
                "listings": len({i for i in identities if i}),
                "identified_by": "catalog id" if not url or database else "title and album",
            },
            "api_calls": calls,
            "api_calls_per_row": round(calls / max(len(keys), 1), 3),
            "seconds_setup": round(prepared - started, 1),
            "seconds_matching": round(matched_at - prepared, 1),
            "wrong_matches": shown,
            "unknown_matches": unknown,
            "missed_matches": missed,
        }

    def _run_pipeline(
        self,
        user: User,
        path: Path,
        chosen: list[LabelledPair],
        identities: list[str] | None,
        options: dict[str, Any],
    ) -> tuple[list[RowKey], list[Outcome]]:
        """Every distinct source row through a dry-run job, chunk by chunk, as workers do."""
        keys = list(dict.fromkeys(p.source_key for p in chosen))
        tracks = [evaluation.source_record(key) for key in keys]
        [job] = jobs_create(
            user=user,
            playlists=[PlaylistRecord(name=f"evaluate_matching {path.name}", tracks=tracks)],
            source_kind=TransferJob.SourceKind.FILE,
            source_format="csv",
            source_ref=path.name,
            destination=TransferJob.Destination.NEW_PLAYLIST,
            dry_run=True,
            strictness=options["strictness"],
        )
        # What job_start does, minus queueing Celery tasks: the chunks run right here.
        TransferJob.objects.filter(id=job.id).update(
            state=TransferJob.State.MATCHING, started_at=timezone.now()
        )
        chunk = settings.TRANSFER_MATCH_CHUNK
        for first in range(0, len(keys), chunk):
            match_chunk(job_id=job.id, first=first, last=first + chunk - 1)
            self._note(f"  matched {min(first + chunk, len(keys))}/{len(keys)} rows", options)
        job.refresh_from_db()
        if job.state != TransferJob.State.DONE:
            raise CommandError(f"The matching job ended {job.state}: {job.error}")
        outcomes = []
        for position, band, chosen_id, chosen_track in job.tracks.order_by("position").values_list(
            "position", "band", "chosen_id", "chosen"
        ):
            identity = chosen_id
            if identities is None and chosen_id and chosen_track:
                identity = evaluation.listing_identity(
                    chosen_track.get("title", ""), chosen_track.get("album", "")
                )
            text = ""
            if chosen_track:
                artists = ", ".join(chosen_track.get("artists") or ())
                text = (
                    f"{chosen_track.get('title', '')} | {artists} | {chosen_track.get('album', '')}"
                )
            outcomes.append(Outcome(keys[position], band, identity, text))
        return keys, outcomes

    # --- output -----------------------------------------------------------------------------

    def _note(self, text: str, options: dict[str, Any]) -> None:
        """Progress on stderr, so that --json output stays one object on stdout."""
        if options["verbosity"] >= 1:
            self.stderr.write(text)

    def _print(self, report: dict[str, Any], show_errors: int) -> None:
        policy = report["policy"]
        pw = report["pairwise"]
        out = self.stdout.write
        out(
            f"evaluate_matching: {Path(report['pairs_file']).name}, split {report['split']}, "
            f"strictness {report['strictness']} (match >= {policy['match_threshold']}, "
            f"review >= {policy['review_threshold']}, margin >= {policy['min_margin']})"
        )
        out("")
        out(
            f"Pairwise: {pw['pairs']} labelled pairs ({pw['positives']} same), each scored alone; "
            f"'same' = score >= {policy['match_threshold']}"
        )
        out(f"  precision  {percent(pw['precision']):>7}   ({pw['tp']} of {pw['tp'] + pw['fp']})")
        out(f"  recall     {percent(pw['recall']):>7}   ({pw['tp']} of {pw['positives']})")
        out(f"  f1         {percent(pw['f1']):>7}")
        rt = report.get("retrieval")
        if rt is None:
            return
        catalog = rt["catalog"]
        if catalog["decoys"]:
            where = (
                f"{catalog['listings']} listings loaded among {catalog['decoys']:,} "
                "generated tracks"
            )
        else:
            where = (
                f"a running sandbox's; {catalog['listings']} listings, known by "
                f"{catalog['identified_by']}"
            )
        out("")
        out(
            f"Retrieval: {rt['rows']} distinct source rows through the pipeline over HTTP; "
            f"catalog: {where}"
        )
        rows = rt["rows"]

        def share(n: int) -> str:
            return percent(n / rows if rows else None)

        out(f"  {'band':<10} {'rows':>5} {'share':>7}")
        out(f"  {'matched':<10} {rt['matched']:>5} {share(rt['matched']):>7}")
        out(f"  {'review':<10} {rt['review']:>5} {share(rt['review']):>7}")
        out(f"  {'not found':<10} {rt['not_found']:>5} {share(rt['not_found']):>7}")
        goals = rt["goals"]
        out(
            f"  matched-band precision  {percent(rt['matched_precision']):>7}   "
            f"({rt['matched_right']} right, {rt['matched_wrong']} wrong; "
            f"{rt['matched_unknown']} with unknown truth)   "
            f"goal >= 99%: {_met(goals['matched_precision'])}"
        )
        out(
            f"  recall, matched+review  {percent(rt['found_recall']):>7}   "
            f"({rt['found_right']} of {rt['rows_with_positive']} rows with a known match found, "
            f"{rt['review_right']} of them in review)   "
            f"goal >= 95%: {_met(goals['found_recall'])}"
        )
        out(f"  review rate             {percent(rt['review_rate']):>7}")
        out(f"  not-found rate          {percent(rt['not_found_rate']):>7}")
        out(
            f"  API calls               {rt['api_calls']:>7}   ({rt['api_calls_per_row']} per row; "
            f"setup {rt['seconds_setup']} s, matching {rt['seconds_matching']} s)"
        )
        wrong = rt["wrong_matches"][:show_errors]
        if wrong:
            out("")
            out("Wrong matches:")
            for item in wrong:
                out(f"  source:   {item['source']}")
                out(f"  chosen:   {item['chosen']}")
                out(f"  expected: {' / '.join(item['expected']) or '(labelled wrong only)'}")
        missed = rt["missed_matches"][:show_errors]
        if missed:
            out("")
            out("Rows whose match is in the catalog, not found with it:")
            for item in missed:
                out(f"  {item['source']}  ->  {item['band']}: {item['chosen'] or '(nothing)'}")
        unknown = rt["unknown_matches"][:show_errors]
        if unknown:
            out("")
            out("Matches whose truth the labels do not give (no positive pair for the row):")
            for item in unknown:
                out(f"  {item['source']}  ->  {item['chosen']}")


def _loaded_ids(ids_path: Path, count: int) -> list[str]:
    """The loader's catalog id of every data row of the pairs file ("" for a skipped row)."""
    ids = [""] * count
    with ids_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = int(row["row"])
            if 1 <= number <= count:
                ids[number - 1] = row["asin"]
    return ids


def _met(value: bool | None) -> str:
    return "n/a" if value is None else ("MET" if value else "NOT MET")
