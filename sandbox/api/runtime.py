"""Run-time switches of the sandbox process: rate limit, token lifetimes and faults.

They live in this process's memory (the sandbox runs as one gunicorn worker), change through
the control API, and go back to the settings' defaults on reset.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

# An LWA authorization code lives five minutes.
DEFAULT_CODE_TTL = 300


class ConfigError(ValueError):
    """A control API request asked for a value the sandbox cannot use."""


@dataclass(frozen=True)
class FaultConfig:
    """Shares (0..1) of matching requests that get each fault."""

    http_429: float = 0.0
    http_500: float = 0.0
    drop: float = 0.0
    malformed_json: float = 0.0
    delay_ms: int = 0
    # Share of matching requests that are delayed by delay_ms.
    delay_share: float = 1.0
    paths: tuple[str, ...] = ("/v1/",)
    # How many more requests may get a fault; None means no end. Makes "fail the next 2" exact.
    max_faults: int | None = None

    def active(self) -> bool:
        shares = self.http_429 + self.http_500 + self.drop + self.malformed_json
        return shares > 0 or (self.delay_ms > 0 and self.delay_share > 0)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["paths"] = list(self.paths)
        return data


@dataclass(frozen=True)
class RuntimeConfig:
    rate_limit: float
    access_token_ttl: int
    authorization_code_ttl: int
    retry_after: bool
    faults: FaultConfig = field(default_factory=FaultConfig)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate_limit": self.rate_limit,
            "access_token_ttl": self.access_token_ttl,
            "authorization_code_ttl": self.authorization_code_ttl,
            "retry_after": self.retry_after,
            "faults": self.faults.as_dict(),
        }


def defaults() -> RuntimeConfig:
    return RuntimeConfig(
        rate_limit=float(settings.SANDBOX_RATE_LIMIT),
        access_token_ttl=int(settings.SANDBOX_ACCESS_TOKEN_TTL),
        authorization_code_ttl=DEFAULT_CODE_TTL,
        retry_after=True,
    )


_lock = threading.Lock()
_current: RuntimeConfig | None = None


def current() -> RuntimeConfig:
    global _current
    with _lock:
        if _current is None:
            _current = defaults()
        return _current


def reset() -> RuntimeConfig:
    global _current
    with _lock:
        _current = defaults()
        return _current


def update(changes: dict[str, Any]) -> RuntimeConfig:
    """Apply a partial change; nothing changes when any value is invalid."""
    global _current
    base = current()
    new = _merge(base, changes)
    with _lock:
        _current = new
    return new


def _merge(base: RuntimeConfig, changes: dict[str, Any]) -> RuntimeConfig:
    unknown = set(changes) - {
        "rate_limit",
        "access_token_ttl",
        "authorization_code_ttl",
        "retry_after",
        "faults",
    }
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    if "rate_limit" in changes:
        values["rate_limit"] = _number(changes["rate_limit"], "rate_limit", minimum=0)
    for name in ("access_token_ttl", "authorization_code_ttl"):
        if name in changes:
            values[name] = int(_number(changes[name], name, minimum=0, whole=True))
    if "retry_after" in changes:
        if not isinstance(changes["retry_after"], bool):
            raise ConfigError("retry_after must be true or false.")
        values["retry_after"] = changes["retry_after"]
    if "faults" in changes:
        values["faults"] = _merge_faults(base.faults, changes["faults"])
    return dataclasses.replace(base, **values)


def _merge_faults(base: FaultConfig, changes: Any) -> FaultConfig:
    if changes is None:
        return FaultConfig()
    if not isinstance(changes, dict):
        raise ConfigError("faults must be an object.")
    allowed = {f.name for f in dataclasses.fields(FaultConfig)}
    unknown = set(changes) - allowed
    if unknown:
        raise ConfigError(f"Unknown fault setting(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for name in ("http_429", "http_500", "drop", "malformed_json", "delay_share"):
        if name in changes:
            values[name] = _number(changes[name], f"faults.{name}", minimum=0, maximum=1)
    if "delay_ms" in changes:
        values["delay_ms"] = int(_number(changes["delay_ms"], "faults.delay_ms", 0, whole=True))
    if "paths" in changes:
        paths = changes["paths"]
        if not isinstance(paths, list) or not all(
            isinstance(p, str) and p.startswith("/") for p in paths
        ):
            raise ConfigError("faults.paths must be a list of path prefixes starting with '/'.")
        values["paths"] = tuple(paths)
    if "max_faults" in changes:
        raw = changes["max_faults"]
        values["max_faults"] = (
            None if raw is None else int(_number(raw, "faults.max_faults", 0, whole=True))
        )
    merged = dataclasses.replace(base, **values)
    if merged.http_429 + merged.http_500 + merged.drop + merged.malformed_json > 1:
        raise ConfigError("The fault shares http_429 + http_500 + drop + malformed_json exceed 1.")
    return merged


def _number(
    raw: Any, name: str, minimum: float, maximum: float | None = None, *, whole: bool = False
) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ConfigError(f"{name} must be a number.")
    if whole and int(raw) != raw:
        raise ConfigError(f"{name} must be a whole number.")
    if raw < minimum or (maximum is not None and raw > maximum):
        bounds = (
            f"between {minimum:g} and {maximum:g}" if maximum is not None else f">= {minimum:g}"
        )
        raise ConfigError(f"{name} must be {bounds}.")
    return float(raw)


def take_fault_budget() -> bool:
    """Spend one fault from max_faults; False when the budget is used up (faults stay off)."""
    global _current
    with _lock:
        config = _current or defaults()
        remaining = config.faults.max_faults
        if remaining is None:
            return True
        if remaining <= 0:
            return False
        faults = dataclasses.replace(config.faults, max_faults=remaining - 1)
        _current = dataclasses.replace(config, faults=faults)
        return True
