"""Tiny typed readers for environment variables.

Every variable can also be given as a file: ``NAME_FILE=/run/secrets/name`` reads the value from
that file (Docker and Kubernetes secrets), so no secret has to sit in the environment. Setting
both ``NAME`` and ``NAME_FILE`` is an error rather than a silent preference.

Every name read through these helpers is recorded in ``READ``, so a test can prove that
docker-compose.yml documents every variable the settings depend on.

``read_env_file`` reads the developer's local ``.env.dev`` (see settings.py for when).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

READ: set[str] = set()


class ImproperlyConfiguredEnv(RuntimeError):
    pass


def _from_file(name: str) -> str | None:
    path = os.environ.get(f"{name}_FILE", "")
    if not path:
        return None
    if os.environ.get(name, ""):
        raise ImproperlyConfiguredEnv(f"Set either {name} or {name}_FILE, not both.")
    try:
        # Secret files usually end with a newline that is not part of the secret.
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfiguredEnv(
            f"{name}_FILE={path!r} cannot be read: {exc.strerror}."
        ) from None


def env_str(name: str, default: str = "") -> str:
    READ.add(name)
    from_file = _from_file(name)
    if from_file is not None:
        return from_file
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfiguredEnv(f"The environment variable {name} must be set.")
    return value


def env_required_all(names: Iterable[str], *, why: str) -> dict[str, str]:
    """The values of ``names``; refuses to go on while any is empty, naming every missing one."""
    values = {name: env_str(name) for name in names}
    missing = [name for name, value in values.items() if not value]
    if missing:
        listed = ", ".join(missing)
        raise ImproperlyConfiguredEnv(
            f"The environment variable{'s' if len(missing) > 1 else ''} {listed} must be set "
            f"({why}). Each can also be read from a file named by {missing[0]}_FILE and the like."
        )
    return values


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    raw = env_str(name, "")
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name, "")
    if raw == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a dotenv-style file; blank lines and ``#`` comments are skipped.

    Deliberately small: no interpolation, no ``export``, one pair of matching quotes stripped.
    A line without ``=`` is an error that names the file and line.
    """
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, sep, value = stripped.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.isidentifier():
            raise ImproperlyConfiguredEnv(f"{path}, line {number}: expected NAME=value.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def load_env_file(path: Path) -> None:
    """Put the file's variables into the environment, where the real environment wins."""
    if path.is_file():
        for name, value in read_env_file(path).items():
            os.environ.setdefault(name, value)
