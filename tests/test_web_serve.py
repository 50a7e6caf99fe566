"""`glossary serve` as a user runs it: a real process, a real socket on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from glossary.cli import main

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

DOCUMENT = (
    "De Minsk Groep van de OVSE bemiddelt in het conflict. De covoorzitters van de "
    "Minsk Groep spreken met Armenië en Azerbeidzjan.\n\nDe Minsk-groep roept op tot een "
    "staakt-het-vuren. Het staakt-het-vuren houdt stand.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.txt").write_text(DOCUMENT, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["init", "--termbase", str(tmp_path / "glossary" / "termbase.tsv")]
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "glossary", "serve", *args, "--no-browser", "--no-suggest"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def server(project: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = start(project, "docs", "--port", "0")
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def request(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, body


def test_serve_prints_a_token_address_and_answers_only_with_it(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = server
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port
    token = parts.query.removeprefix("token=")
    assert len(token) >= 40
    status, body = request(url, "/api/review")
    assert status == 403 and "needs its token" in body and "Minsk" not in body
    status, body = request(url, f"/api/review?token={token}")
    assert status == 200 and "Minsk Groep" in body
    status, _ = request(
        url, f"/api/review?token={token}", {"Host": f"attacker.example:{parts.port}"}
    )
    assert status == 400
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Stopped." in err and "Traceback" not in err
    assert "4 candidates from 1 document, 4 new" in err


def test_a_taken_port_is_a_clear_error(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(project, "--port", str(port))
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"Error: Port {port} is in use; choose another with --port" in err
    assert out == "" and "Traceback" not in err


def test_another_host_is_served_with_a_warning(project: Path) -> None:
    process = start(project, "--host", "127.0.0.2", "--port", "0")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.2:")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert "Warning: serving on 127.0.0.2, not only on this machine" in err


def test_serve_needs_a_termbase(tmp_path: Path) -> None:
    process = start(tmp_path)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "No termbase found" in err and "glossary init" in err
