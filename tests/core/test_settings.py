"""Production settings are safe: check --deploy is clean and compose documents every variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "Zq8!vR2#pL9@xW4$mN7^tB1&cY6*hJ3",
    "ALLOWED_HOSTS": "music.example.org",
    # A fixed, valid Fernet key for the test only.
    "TOKEN_ENCRYPTION_KEYS": "0Cj5Zq8wVv2bX9l6cKJ7s3mF1pQe4tRyU0iO8aHnGdE=",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/amt",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    # Set in this process by the browser tests (Playwright's event loop); never in production.
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _variables_read_by_settings() -> set[str]:
    code = (
        "import json, transfer.settings, transfer.env; print(json.dumps(sorted(transfer.env.READ)))"
    )
    names: set[str] = set()
    for debug in ("true", "false"):
        result = _run(["-c", code], {**PRODUCTION_ENV, "DEBUG": debug})
        assert result.returncode == 0, result.stderr
        names |= set(json.loads(result.stdout))
    return names


def test_compose_names_every_service_and_variable_the_settings_read() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(services)

    documented = set(compose["x-app-environment"])
    missing = _variables_read_by_settings() - documented
    assert not missing, f"docker-compose.yml does not document {sorted(missing)}"

    # web, worker and beat run one image and differ only in their command.
    app_services = [services[name] for name in ("web", "worker", "beat")]
    for service in app_services:
        assert service["image"] == app_services[0]["image"]
        assert service["environment"] == app_services[0]["environment"]
    commands = {json.dumps(s["command"]) for s in app_services}
    assert len(commands) == 3
    assert "build" in services["web"]
