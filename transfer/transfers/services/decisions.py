"""Decisions and catalog tracks as JSON: for SourceTrack rows and the shared decision cache."""

from __future__ import annotations

from typing import Any

from transfer.matching import Band, Candidate, Decision, Method, ScoredCandidate
from transfer.matching.types import Signal


def candidate_to_dict(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "title": candidate.title,
        "artists": list(candidate.artists),
        "album": candidate.album,
        "duration_ms": candidate.duration_ms,
        "isrc": candidate.isrc,
        "explicit": candidate.explicit,
        "image_url": candidate.image_url,
        "album_id": candidate.album_id,
    }


def candidate_from_dict(data: dict[str, Any]) -> Candidate:
    return Candidate(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        artists=tuple(data.get("artists") or ()),
        album=str(data.get("album", "")),
        duration_ms=data.get("duration_ms"),
        isrc=str(data.get("isrc", "")),
        explicit=data.get("explicit"),
        image_url=str(data.get("image_url", "")),
        album_id=str(data.get("album_id", "")),
    )


def scored_to_dict(scored: ScoredCandidate) -> dict[str, Any]:
    return {
        **candidate_to_dict(scored.candidate),
        "score": round(scored.score, 4),
        "signals": [
            {"name": s.name, "score": s.score, "note": s.note, "agrees": s.agrees}
            for s in scored.signals
        ],
    }


def scored_from_dict(data: dict[str, Any]) -> ScoredCandidate:
    signals = tuple(
        Signal(s["name"], s.get("score"), s["note"], bool(s.get("agrees")))
        for s in data.get("signals", [])
    )
    return ScoredCandidate(candidate_from_dict(data), float(data.get("score", 0)), signals)


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    return {
        "band": decision.band.value,
        "method": decision.method.value,
        "chosen": scored_to_dict(decision.chosen) if decision.chosen else None,
        "confidence": decision.confidence,
        "margin": decision.margin,
        "candidates": [scored_to_dict(c) for c in decision.candidates],
        "explanation": decision.explanation,
    }


def decision_from_dict(data: dict[str, Any]) -> Decision:
    return Decision(
        band=Band(data["band"]),
        method=Method(data["method"]),
        chosen=scored_from_dict(data["chosen"]) if data.get("chosen") else None,
        confidence=float(data["confidence"]),
        margin=float(data["margin"]),
        candidates=tuple(scored_from_dict(c) for c in data.get("candidates", [])),
        explanation=str(data.get("explanation", "")),
    )
