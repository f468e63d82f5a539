"""The production image holds only product code, and runs every production command the README,
docker-compose.yml and the Dockerfile give.

Without Docker on the test machine, the image's tree is rebuilt from the Dockerfile's COPY lines
in a temporary folder, and each command's module is loaded there by a Python that cannot see
the development checkout (its editable install is switched off), so a module that only exists
in the checkout fails here as it would in the image.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.core.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = {"pyproject.toml", "README.md", "manage.py", "transfer", "catalog_client"}
PRODUCT_ASSETS = {"templates", "static"}
TOOLING = {"sandbox", "devtools", "tests", "bench", "scripts", "docs", ".ci"}

# Runs a command in the image's tree with the development checkout's editable install removed.
BOOTSTRAP = """
import runpy, sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
for name in ("sandbox", "devtools", "tests"):
    try:
        __import__(name)
    except ImportError:
        pass
    else:
        raise SystemExit(f"{name} is importable in the image")
kind, target, *argv = sys.argv[1:]
sys.argv = [target, *argv]
if kind == "script":
    runpy.run_path(target, run_name="__main__")
elif kind == "module":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    module, _, attribute = target.partition(":")
    loaded = __import__(module, fromlist=[attribute or "__name__"])
    assert attribute == "" or getattr(loaded, attribute) is not None
    print("imported", target)
"""


def copy_sources() -> list[str]:
    """The source paths of the Dockerfile's COPY lines (the last word is the destination)."""
    sources: list[str] = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.split(" ", 1)[0].upper() == "COPY":
            words = shlex.split(line)
            assert not any(w.startswith("--from") for w in words), "no multi-stage copies"
            sources.extend(s.rstrip("/") for s in words[1:-1] if not s.startswith("--"))
    return sources


def test_the_dockerfile_copies_only_product_code() -> None:
    sources = copy_sources()
    assert set(sources) == PRODUCT | PRODUCT_ASSETS
    assert not {s.split("/")[0] for s in sources} & TOOLING
    assert "." not in sources, "never the whole checkout"


def test_the_build_context_lets_in_only_what_is_copied() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    assert lines[lines.index("*")] == "*", "everything is ignored unless let in"
    assert allowed == set(copy_sources())


def readme_production_commands() -> list[list[str]]:
    """Commands of the README's deployment sections, compose's app services and the image."""
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Deploying with docker compose")
    end = readme.index("\n## ", start + 1)
    commands: list[list[str]] = []
    for block in re.findall(r"```sh\n(.*?)```", readme[start:end], flags=re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if "exec" in words and "web" in words:
                # docker compose exec web <command>: the command runs in the image.
                commands.append(words[words.index("web") + 1 :])
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        command = compose["services"][name]["command"]
        if command[:2] == ["sh", "-c"]:
            for part in command[2].split("&&"):
                words = shlex.split(part)
                commands.append(words[1:] if words[0] == "exec" else words)
        else:
            commands.append(command)
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.MULTILINE)
    assert cmd is not None
    commands.append(yaml.safe_load(cmd.group(1)))
    return commands


def _module_checks(command: list[str]) -> list[list[str]]:
    """What proves the command's code is in the image: load its module, or ask for its help."""
    program = command[0]
    if program == "python" and command[1] == "manage.py":
        return [["script", "manage.py", "help", command[2]]]
    if program == "celery":
        app = command[command.index("-A") + 1]
        return [["import", app + ":app"], ["module", "celery", "-A", app, command[3], "--help"]]
    if program == "gunicorn":
        return [["import", command[1]]]
    raise AssertionError(f"a production command this test does not know: {command}")


@pytest.fixture(scope="module")
def image_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = tmp_path_factory.mktemp("image") / "app"
    app.mkdir()
    for source in copy_sources():
        path = ROOT / source
        if path.is_dir():
            shutil.copytree(path, app / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, app / source)
    return app


def test_the_readme_names_the_production_commands() -> None:
    programs = {(c[0], c[1] if c[0] == "python" else "") for c in readme_production_commands()}
    assert ("python", "manage.py") in programs
    assert {"celery", "gunicorn"} <= {p for p, _ in programs}


@pytest.mark.parametrize("command", readme_production_commands(), ids=lambda c: " ".join(c[:3]))
def test_every_production_command_runs_from_the_image(image_tree: Path, command: list[str]) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(image_tree), **PRODUCTION_ENV}
    for check in _module_checks(command):
        result = subprocess.run(
            [sys.executable, "-c", BOOTSTRAP, *check],
            cwd=image_tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, f"{check}: {result.stderr[-2000:]}"


def test_the_image_tree_really_lacks_the_tooling(image_tree: Path) -> None:
    env = {"PATH": os.environ["PATH"], **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", BOOTSTRAP, "import", "sandbox.settings"],
        cwd=image_tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "No module named 'sandbox'" in result.stderr


def test_web_worker_and_beat_differ_only_in_their_command() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web, worker, beat = (dict(services[name]) for name in ("web", "worker", "beat"))
    # web alone builds the image and publishes the port.
    for key in ("build", "ports"):
        web.pop(key)
    commands = [s.pop("command") for s in (web, worker, beat)]
    assert web == worker == beat
    assert len({str(c) for c in commands}) == 3
