"""README.md as a newcomer follows it: install the package offline into a fresh virtual
environment, then run its checked examples, as written, against a fresh server from a
directory whose ./data is the server's data directory (as after `make run`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, ServerProcess, reply_token

README = REPO / "clients/python/README.md"
# What each example prints, line by line (a line may be a regular expression).
EXPECTED = {
    "pipeline.py": ["published r1"],
    "portal.py": ["req_00000001 REQUEST_STATUS_PENDING"],
    "consumer.py": ["Hello! We cannot find your booking. Could you share its number and your name?",
                    "REQUEST_STATUS_ANSWERED"],
    "portal_async.py": ["BK-4711 Ann Andersson"],
    "errors.py": ["fix the field message"],
}


def examples() -> list[tuple[str, str]]:
    """(file name, code) of each ```python block after a `<!-- checked-example: NAME` line."""
    text = README.read_text()
    found = re.findall(r"<!-- checked-example: (\S+)[^\n]*-->\n```python\n(.*?)```", text, re.S)
    assert [name for name, _ in found] == list(EXPECTED), "README's checked examples changed: update EXPECTED"
    return found


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python3 -m venv --system-site-packages`` and ``pip install --no-build-isolation``,
    as the README says, with ``--no-index`` on top so that any download would fail."""
    root = tmp_path_factory.mktemp("install")
    source = root / "python"
    shutil.copytree(REPO / "clients/python", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)], check=True)
    python = env_dir / "bin/python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-build-isolation", str(source)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def test_install_is_offline_and_imports_outside_the_source_tree(venv: Path, tmp_path: Path) -> None:
    shown = subprocess.run([str(venv), "-c", "import findreviewer, google.protobuf; print(findreviewer.__file__); "
                            "print(findreviewer.__version__)"], capture_output=True, text=True, cwd=tmp_path, check=True)
    where, version = shown.stdout.split()
    assert "site-packages" in where and version == "0.1.0"


def test_the_readme_examples_run_as_written(venv: Path, tmp_path: Path) -> None:
    server = ServerProcess()
    try:
        (tmp_path / "data").symlink_to(server.data_dir)
        env = {key: value for key, value in os.environ.items() if not key.startswith("FINDREVIEWER_")}
        env["FINDREVIEWER_SERVER"] = server.address
        for name, code in examples():
            if name == "consumer.py":
                env["TOKEN"] = reply_token(server.data_dir, "ann@mail.example")
            (tmp_path / name).write_text(code)
            ran = subprocess.run([str(venv), name], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
            assert ran.returncode == 0, f"{name} failed:\n{ran.stdout}{ran.stderr}"
            lines = ran.stdout.splitlines()
            assert len(lines) == len(EXPECTED[name]), f"{name} printed {lines}"
            for line, expected in zip(lines, EXPECTED[name]):
                assert re.fullmatch(expected, line) or line == expected, f"{name}: {line!r} is not {expected!r}"
            if name == "portal.py":  # run again: the idempotency key gives back the same request
                again = subprocess.run([str(venv), name], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
                assert again.stdout.splitlines() == lines
    finally:
        server.cleanup()
