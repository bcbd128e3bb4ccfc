"""A real ``prioritize app`` server on a free port and Debian's Chromium driven by
Playwright. Screenshots go to ``test-output/e2e/``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from prioritize.store import Store
from tests.conftest import ExampleCouncil

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-output" / "e2e"
#: How long a step may wait for the page. Only an upper bound, never a pause: a step ends as
#: soon as the page shows what it waits for, so a slow machine makes a step slower, not flaky.
TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    db: Path | str  # a SQLite file, or a PostgreSQL database's URL
    store: Store
    blind_round: int


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


@contextmanager
def running_app(folder: Path, db: Path | str, *extra: str) -> Iterator[str]:
    """A real ``prioritize app`` on ``db`` (a SQLite file or a PostgreSQL URL) and a free
    port; yields its address once it answers its health check, and stops it (and anything
    it started) afterwards. Its log is ``folder/server.log``: one folder per server."""
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prioritize",
            "app",
            "--db",
            str(db),
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
        start_new_session=True,
    )  # its own process group, ended as a whole below
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not start:\n" + (folder / "server.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, example_template: ExampleCouncil
) -> Iterator[Server]:
    _require_chromium()
    folder = tmp_path_factory.mktemp("server")
    council = example_template.copy(folder)
    db, store, example = council.path, council.store(), council.example
    facilitator = store.session("m01", "m01-demo")
    blind = facilitator.start_from(example.round.id, "Blind round")
    facilitator.start_scoring(blind.id)
    # one score by a member the tests never sign in as, so the blind round can be revealed
    # (an empty round cannot) whichever test runs first or alone
    store.session("m04", "m04-demo").submit_score(
        blind.id, "REQ-028", "customer_impact", 3, "seeded by the test server"
    )
    with running_app(folder, db) as url:
        yield Server(url, db, store, blind.id)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server on a database that does not exist yet: a real council's first day."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("empty-server")
    db = folder / "council.db"
    with running_app(folder, db) as url:
        yield Server(url, db, Store(db), 0)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and anything it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    return SHOTS
