"""A non-editable install finds its bundled criteria sets and example (package data)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("prioritize-*.whl")
    return built


def test_wheel_carries_criteria_and_example(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "prioritize/_data/criteria/customer-operations.yaml" in names
    assert "prioritize/_data/scorecards/customer-operations.yaml" in names
    for name in ("requirements.csv", "scores.csv", "members.csv", "readings.csv", "README.md"):
        assert f"prioritize/_data/examples/sales-order-errors/{name}" in names


def test_installed_package_evaluates_the_bundled_example(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    code = (
        "import prioritize as pz, pathlib; "
        "assert '_data' in str(pz.example_dir()), pz.example_dir(); "
        "ev = pz.evaluate_example(); "
        "card = pz.load_scorecard(); "
        "assert len(pz.load_readings(pz.example_dir() / 'readings.csv', card).frame) == 132; "
        "print(len(ev.table), pz.load_criteria('customer-operations').name)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "28"
    assert "Customer operations" in result.stdout
