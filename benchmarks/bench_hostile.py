"""Benchmark: how fast, and in how little memory, each hostile input of issue 10 is refused.

Run by hand from the repository root:

    python benchmarks/bench_hostile.py [--repeat R] [--cli]

Each file is generated (by ``tests/load/hostile.py``, the writers the tests use) in a
temporary folder, then loaded in a fresh child process, the way ``prioritize validate FILE``
loads it: the loader its content calls for (``load_requirements`` or ``load_criteria``). The
child reports the loader's wall time; the parent reads the child's peak resident memory
from ``os.wait4`` (that child's own ``ru_maxrss``, imports included) and also runs a child
that only imports prioritize, whose peak is the floor every row stands on. Goal: every file
refused in under 5 s and 500 MB. With ``--cli`` the whole ``prioritize validate FILE``
command is timed too (start-up and imports included), with its outcome.

Children run under a 4 GiB address-space limit and a 120 s timeout, so a regression cannot
take the shared machine down.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.load import hostile  # noqa: E402  (the writers the tests use)

#: The child: load one file, print what happened as JSON.
CHILD = """
import json, sys, time
started = time.perf_counter()
import prioritize as pz
imported = time.perf_counter()
loader, path = sys.argv[1], sys.argv[2]
outcome = "accepted"
if loader != "none":
    try:
        getattr(pz, loader)(path)
    except pz.ValidationError as error:
        problem = error.first
        outcome = f"refused: {problem.limit or problem.message}"
    except BaseException as error:
        outcome = f"CRASH {type(error).__name__}"
done = time.perf_counter()
print(json.dumps({"import": imported - started, "load": done - imported, "outcome": outcome}))
"""

TIMEOUT = 120
ADDRESS_SPACE = 4 * 1024**3


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_child(command: list[str]) -> tuple[float, float, int, str, str]:
    """(wall seconds, peak RSS in MB, exit code, stdout, stderr) of one child process."""
    started = time.perf_counter()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        subprocess.Popen(command, stdout=out, stderr=err, preexec_fn=_limit_child) as child,
    ):
        deadline = started + TIMEOUT
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return (
            wall,
            usage.ru_maxrss / 1024,  # Linux: kilobytes
            child.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


#: name, what it is, the loader, the writer, the cost the issue measured before
CASES: list[tuple[str, str, str, Callable[[Path], Path], str]] = [
    (
        "sparse.xlsx",
        "xlsx, cells at XFD2 and A1048576",
        "load_requirements",
        hostile.sparse_xlsx,
        "20 s, 5.3 GB, MemoryError",
    ),
    (
        "bomb.xlsx",
        "xlsx, shared strings unzip to 210 MB (3 GiB in the issue)",
        "load_requirements",
        hostile.shared_string_bomb,
        "3.3 GB, empty error (3 GiB file)",
    ),
    (
        "lol.yaml",
        'criteria YAML, "billion laughs"',
        "load_criteria",
        hostile.billion_laughs,
        "75 s, 2.9 GB",
    ),
    (
        "wide.csv",
        "CSV, 100,000 columns",
        "load_requirements",
        hostile.wide_csv,
        "551 s",
    ),
    (
        "deep.yaml",
        "YAML nested 50,000 deep",
        "load_requirements",
        hostile.deep_yaml,
        "traceback (RecursionError)",
    ),
    (
        "no-sheet.xlsx",
        "xlsx without a sheet",
        "load_requirements",
        hostile.no_sheet_xlsx,
        "traceback (IndexError)",
    ),
    (
        "heavy.yaml",
        "criteria YAML, weights 1e308",
        "load_criteria",
        hostile.heavy_weights_yaml,
        "accepted: every score NaN",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="children per file (best time)")
    parser.add_argument("--cli", action="store_true", help="also time `prioritize validate`")
    args = parser.parse_args()
    python = sys.executable
    cli = str(Path(python).with_name("prioritize"))
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    floor = [run_child([python, "-c", CHILD, "none", "-"]) for _ in range(args.repeat)]
    floor_rss = min(rss for _, rss, *_ in floor)
    print(f"# a child that only imports prioritize: {floor_rss:.0f} MB peak")
    print()
    header = "| file | size | before (issue 10) | outcome | load time | child peak RSS |"
    if args.cli:
        header += " `prioritize validate` | its outcome |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    with tempfile.TemporaryDirectory() as folder:
        for name, what, loader, writer, before in CASES:
            path = writer(Path(folder) / name)
            size = path.stat().st_size
            loads: list[float] = []
            peaks: list[float] = []
            outcome = ""
            for _ in range(args.repeat):
                _, rss, code, out, err = run_child([python, "-c", CHILD, loader, str(path)])
                if code != 0 or not out.strip():
                    outcome = f"child failed ({code}): {err.strip()[-200:]}"
                    break
                report = json.loads(out)
                loads.append(report["load"])
                peaks.append(rss)
                outcome = report["outcome"]
            shown_size = f"{size / 1e3:,.1f} KB" if size < 1e6 else f"{size / 1e6:,.1f} MB"
            row = (
                f"| {what} | {shown_size} | {before} | {outcome} | "
                f"{min(loads, default=float('nan')):.3f} s | "
                f"{max(peaks, default=float('nan')):.0f} MB |"
            )
            if args.cli:
                runs = [run_child([cli, "validate", str(path)]) for _ in range(args.repeat)]
                wall = min(r[0] for r in runs)
                rss = max(r[1] for r in runs)
                err = runs[-1][4]
                said = (
                    "traceback"
                    if "Traceback" in err
                    else "problem reported"
                    if "problem:" in err
                    else f"exit {runs[-1][2]}"
                )
                row += f" {wall:.2f} s, {rss:.0f} MB | {said} |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
