"""Production settings are safe: they fail closed, read secrets from files, pass check --deploy,
and compose documents every variable. Each runs the settings in a subprocess with a clean
environment (nothing inherited from the test run but PATH)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from transfer.env import ImproperlyConfiguredEnv, load_env_file, read_env_file

ROOT = Path(__file__).resolve().parents[2]
# What production must provide besides SECRET_KEY: with DEBUG off none may fall back to the
# sandbox or a demo credential.
AMAZON_REQUIRED = {
    "AMAZON_MUSIC_API_URL": "https://api.music.amazon.dev/v1",
    "LWA_AUTHORIZE_URL": "https://www.amazon.com/ap/oa",
    "LWA_TOKEN_URL": "https://api.amazon.com/auth/o2/token",
    "LWA_PROFILE_URL": "https://api.amazon.com/user/profile",
    "LWA_REVOKE_URL": "https://api.amazon.com/auth/o2/token/revoke",
    "LWA_CLIENT_ID": "amzn1.application-oa2-client.0123456789abcdef",
    "LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.not-a-real-secret",
    "AMAZON_MUSIC_API_KEY": "amzn1.application.0123456789abcdef",
}
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "Zq8!vR2#pL9@xW4$mN7^tB1&cY6*hJ3",
    "TOKEN_ENCRYPTION_KEYS": "8o2Qn3n0Xh0cK0hHq1dC1Q2fM1Jm8p1mJc3f8v4QmZk=",
    "ALLOWED_HOSTS": "music.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/amt",
    **AMAZON_REQUIRED,
}
REQUIRED_IN_PRODUCTION = ["SECRET_KEY", "TOKEN_ENCRYPTION_KEYS", *AMAZON_REQUIRED]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: the test run's DEBUG=true, DATABASE_URL and the like must not leak in.
    full_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_each_endpoint_and_secret(name: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfiguredEnv" in result.stderr
    assert f"{name} must be set" in result.stderr
    assert "System check" not in result.stdout


def test_production_names_every_missing_amazon_variable_at_once() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in AMAZON_REQUIRED}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    for name in AMAZON_REQUIRED:
        assert name in message


def _settings_values(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, sys; from django.conf import settings; "
        "print(json.dumps({n: getattr(settings, n) for n in sys.argv[1:]}))"
    )
    full = {"DJANGO_SETTINGS_MODULE": "transfer.settings", **env}
    result = _run(["-c", code, *names], full)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_debug_on_the_sandbox_and_demo_credentials_stand_in() -> None:
    values = _settings_values({"DEBUG": "true"}, "AMAZON_MUSIC_API_URL", "LWA_CLIENT_SECRET")
    assert values["AMAZON_MUSIC_API_URL"] == "http://127.0.0.1:8001/v1"
    assert values["LWA_CLIENT_SECRET"] == "amzn1.oa2-cs.v1.demo-secret"


def test_secrets_are_read_from_name_file_variables(tmp_path: Path) -> None:
    env = dict(PRODUCTION_ENV)
    for name in ("SECRET_KEY", "LWA_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEYS"):
        secret = tmp_path / name.lower()
        # Secret files usually end in a newline that is not part of the value.
        secret.write_text(f"from-file-{name}\n")
        env.pop(name)
        env[f"{name}_FILE"] = str(secret)
    env.pop("DATABASE_URL")
    env["DATABASE_URL_FILE"] = str(tmp_path / "database_url")
    (tmp_path / "database_url").write_text("postgres://app:s3cret@db.example:5432/music\n")

    values = _settings_values(env, "SECRET_KEY", "LWA_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEYS")
    assert values == {
        "SECRET_KEY": "from-file-SECRET_KEY",
        "LWA_CLIENT_SECRET": "from-file-LWA_CLIENT_SECRET",
        "TOKEN_ENCRYPTION_KEYS": ["from-file-TOKEN_ENCRYPTION_KEYS"],
    }
    database = _settings_values(env, "DATABASES")["DATABASES"]
    assert isinstance(database, dict)
    assert database["default"]["HOST"] == "db.example"
    assert database["default"]["PASSWORD"] == "s3cret"


def test_a_name_and_its_file_together_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-file")
    result = _run(["manage.py", "check"], {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(secret)})
    assert result.returncode != 0
    assert "Set either SECRET_KEY or SECRET_KEY_FILE, not both." in result.stderr


def test_an_unreadable_secret_file_is_named() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "LWA_CLIENT_SECRET"}
    env["LWA_CLIENT_SECRET_FILE"] = "/run/secrets/absent"
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "LWA_CLIENT_SECRET_FILE='/run/secrets/absent' cannot be read" in result.stderr


def test_the_developer_env_file_fills_gaps_but_never_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env.dev"
    dotenv.write_text(
        "# written by make install\n\nDEBUG=true\nSITE_URL='http://dev.test'\nLOG_LEVEL=DEBUG\n"
    )
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    load_env_file(dotenv)
    assert os.environ["SITE_URL"] == "http://dev.test"
    assert os.environ["LOG_LEVEL"] == "WARNING"
    load_env_file(tmp_path / "absent")  # no file, nothing to do


def test_a_malformed_env_file_line_is_named(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env.dev"
    dotenv.write_text("DEBUG=true\nnot a pair\n")
    with pytest.raises(ImproperlyConfiguredEnv, match=r"\.env\.dev, line 2: expected NAME=value"):
        read_env_file(dotenv)


def test_the_developer_env_file_is_kept_out_of_git_and_the_image() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env.dev"], cwd=ROOT, check=False
    ).returncode
    assert ignored == 0
    dockerignore = (ROOT / ".dockerignore").read_text().splitlines()
    # Everything is excluded unless listed, and no .env file is listed.
    assert "*" in dockerignore
    assert not any(".env" in line for line in dockerignore if line.startswith("!"))


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
