"""``manage.py sandbox_token`` prints a token and key that the running server accepts."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import requests

from tests.sandbox_server import REPO, SandboxServer


def run_command(server: SandboxServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "sandbox_token", *args],
        cwd=REPO,
        env=server.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_printed_token_works_against_the_server(sandbox: SandboxServer) -> None:
    result = run_command(sandbox, "--account", "alice")
    assert result.returncode == 0, result.stderr
    values = dict(shlex.split(line)[0].split("=", 1) for line in result.stdout.splitlines())
    assert values["ACCESS_TOKEN"].startswith("Atza|")
    assert values["REFRESH_TOKEN"].startswith("Atzr|")
    assert values["API_KEY"] == sandbox.api_key
    headers = {"Authorization": f"Bearer {values['ACCESS_TOKEN']}", "x-api-key": values["API_KEY"]}
    response = requests.get(f"{sandbox.api_url}/me", headers=headers, timeout=30)
    assert response.status_code == 200


def test_scopes_and_json_output(sandbox: SandboxServer) -> None:
    result = run_command(sandbox, "--account", "alice", "--scopes", "music::catalog", "--json")
    assert result.returncode == 0, result.stderr
    tokens = json.loads(result.stdout)
    assert tokens["scope"] == "music::catalog"
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "x-api-key": tokens["api_key"]}
    assert requests.get(f"{sandbox.api_url}/me", headers=headers, timeout=30).status_code == 403


def test_unknown_account_fails_clearly(sandbox: SandboxServer) -> None:
    result = run_command(sandbox, "--account", "nobody-at-all")
    assert result.returncode != 0
    assert "No sandbox account matches" in result.stderr
