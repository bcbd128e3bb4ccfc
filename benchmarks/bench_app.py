"""Benchmark: the council page at 500 requirements x 12 members (60,000 scores per round),
in a real SQLite council.

Run by hand:  python benchmarks/bench_app.py [--requirements N] [--members M] [--repeat R]
              [--no-browser]

1. Server time of a rerun of each page (streamlit.testing's AppTest runs the page script in
   this process exactly as the server does, without a browser); the first run (cold
   caches) is reported separately. Goal: a rerun under 0.5 s.
2. In Debian's Chromium against a real ``prioritize app`` server (issue 11): the time from
   a click to the rendered page -- the server has finished the run the click caused and
   the page shows its result -- for Score (one answer saved), Reveal (confirmed in its
   dialog), Compare (two rounds of 500 requirements) and Sensitivity (one weight moved
   and applied); and the first visit of a new database (a fresh server, cold imports).
   Goal: under 0.5 s each, the first visit under 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

import prioritize as pz
from prioritize.app import PAGES, state
from prioritize.store import DB_ENV, Store

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENTS = (
    "Operations",
    "Legal",
    "Finance",
    "IT",
    "Sales",
    "Customer Service",
    "Internal Audit",
    "Marketing",
    "HR",
    "Customer",
    "Sales",
    "Operations",
)


def passcode(member_id: str) -> str:
    """The passcode each benchmark member chose (a real council needs 12 characters)."""
    return f"{member_id}-benchmark-passcode"


def build(
    folder: Path, n_requirements: int, n_members: int, seed: int = 0, *, second: bool = False
) -> Store:
    """Round 1 scored by everyone and revealed; with ``second``, round 2 started from it,
    scoring, every member's scores in but m01's first requirement (left for the Score
    measure)."""
    criteria = pz.load_criteria("customer-operations")
    rng = np.random.default_rng(seed)
    store = Store(folder / "council.db")
    store.init()
    store.create_facilitator("m00", "Facilitator", "Operations", passcode("m00"))
    boss = store.session("m00", passcode("m00"))
    members = [f"m{i:02d}" for i in range(n_members)]
    for i, mid in enumerate(members[1:], start=1):
        given = f"{mid}-given-by-the-facilitator"  # one-time: each member chooses their own
        boss.register_member(
            mid, f"Member {i:02d}", DEPARTMENTS[i % len(DEPARTMENTS)], "member", given
        )
        store.session(mid, given).change_passcode(given, passcode(mid))
    rids = [f"REQ-{i:04d}" for i in range(n_requirements)]
    requirements = pd.DataFrame({"id": rids, "title": [f"Requirement {r}" for r in rids]})
    info = boss.create_round("Benchmark", "customer-operations", requirements)
    boss.start_scoring(info.id)
    centre = rng.uniform(1, 5, size=(n_requirements, len(criteria)))

    def scored(mid: str, middle: np.ndarray, reason: str) -> pd.DataFrame:
        """One member's scores of every requirement, spread around ``middle``."""
        values = np.clip(np.rint(middle + rng.normal(0, 0.9, middle.shape)), 1, 5)
        return pd.DataFrame(
            {
                "requirement_id": np.repeat(rids, len(criteria)),
                "member": mid,
                "criterion": np.tile(criteria.ids, n_requirements),
                "score": values.ravel(),
                "reason": reason,
            }
        )

    for mid in members:
        store.session(mid, passcode(mid)).import_scores(info.id, scored(mid, centre, "benchmark"))
    boss.reveal(info.id)
    if second:
        later = boss.start_from(info.id, "Benchmark, second round")
        boss.start_scoring(later.id)
        drift = rng.normal(0, 0.7, centre.shape)
        for mid in members:
            scores = scored(mid, centre + drift, "benchmark, second look")
            if mid == "m01":
                scores = scores[scores["requirement_id"] != rids[0]]
            store.session(mid, passcode(mid)).import_scores(later.id, scores)
    return store


def time_page(store: Store, page: str, repeat: int) -> tuple[float, list[float]]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[state.SESSION_KEY] = store.session("m01", passcode("m01"))
    at.session_state[state.ROUND_KEY] = 1  # the revealed round
    at.switch_page(str(PAGES / f"{page}.py"))
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return first, reruns


# --- in a real browser ---------------------------------------------------------------------


def _clicked(page: Any, click: Callable[[], None], rendered: Callable[[], None]) -> float:
    """Seconds from ``click`` until the server finished the run it caused and the page shows
    ``rendered`` (and has drawn the whole run)."""
    from tests.e2e.test_browser import a_run, idle

    idle(page)
    with a_run(page):
        start = time.perf_counter()
        click()
    rendered()
    idle(page)
    return time.perf_counter() - start


def browser_measures(store: Store, repeat: int) -> dict[str, list[float]]:
    """Click-to-rendered times on a real server (see the module's docstring)."""
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, running_app
    from tests.e2e.test_browser import go, main, sign_in

    times: dict[str, list[float]] = {}
    folder = store.path.parent
    expect.set_options(timeout=120_000)
    with running_app(folder, store.path) as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        server = type("S", (), {"url": url})()
        member = sign_in(chromium, server, "Member 01", passcode("m01"))
        go(member, "Score")
        times["Score (one answer saved)"] = [score_save(member, i) for i in range(repeat)]
        boss = sign_in(chromium, server, "Facilitator", passcode("m00"))
        _clicked(boss, lambda: boss.click(".st-key-advance-round button"), lambda: None)
        times["Reveal (confirmed)"] = [
            _clicked(
                boss,
                lambda: boss.click(".st-key-confirm-advance button"),
                lambda: expect(main(boss)).to_contain_text("DEBATE"),
            )
        ]
        times["Compare (two rounds)"] = []
        for _ in range(repeat):  # from the overview to the comparison drawn
            link = boss.locator("[data-testid='stSidebarNavLink']", has_text="Compare rounds")
            times["Compare (two rounds)"].append(
                _clicked(
                    boss,
                    link.click,
                    lambda: expect(
                        main(boss).get_by_test_id("stPlotlyChart").first
                    ).to_be_visible(),
                )
            )
            go(boss, "Round overview", "Round #2: Benchmark, second round")
        go(boss, "Sensitivity")
        expect(boss.get_by_test_id("stSkeleton")).to_have_count(0)  # sliders drawn
        times["Sensitivity (one weight moved)"] = []
        for i in range(repeat):
            thumb = boss.locator("[class*='st-key-weight-'] input[type='range']").first
            thumb.focus()
            thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            shown = f"Points given: {101 if i % 2 == 0 else 100} "
            times["Sensitivity (one weight moved)"].append(
                _clicked(
                    boss,
                    lambda: boss.click(".st-key-weights-apply button"),
                    lambda shown=shown: expect(main(boss)).to_contain_text(shown),
                )
            )
        chromium.close()
    return times


def first_visit(repeat: int) -> list[float]:
    """Seconds from opening a fresh server's address on a new, empty database to its set-up
    form, the first visit (cold imports in the server) and then ``repeat - 1`` more."""
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, running_app

    out = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        with running_app(Path(folder), Path(folder) / "new.db") as url:
            for _ in range(repeat):
                page = chromium.new_page()
                start = time.perf_counter()
                page.goto(url)
                expect(page.locator(".st-key-setup-submit button")).to_be_visible()
                out.append(time.perf_counter() - start)
                page.close()
        chromium.close()
    return out


def score_save(page: Any, i: int) -> float:
    """Answer one criterion of the first requirement (the one m01 left open in round 2)
    with another level each time, and save it: from the click to the toast that says so."""
    from playwright.sync_api import expect

    from tests.e2e.test_browser import answer

    toasts = page.get_by_test_id("stToast")
    expect(toasts).to_have_count(0, timeout=30_000)  # the last save's toast has gone
    answer(page, 2, "REQ-0000", "customer_impact", ("2", "4")[i % 2])
    return _clicked(
        page,
        lambda: page.click(".st-key-score-save button"),
        lambda: expect(toasts.filter(has_text="Saved 1 answer of REQ-0000")).to_be_visible(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=int, default=500)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true", help="only the AppTest reruns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store = build(Path(folder), args.requirements, args.members, second=not args.no_browser)
        os.environ[DB_ENV] = str(store.path)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython "
            f"{platform.python_version()}"
        )
        print(
            f"council: {args.requirements} requirements x 10 criteria x {args.members} "
            f"members = {args.requirements * 10 * args.members:,} scores "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        for page in ("matrix", "debate", "overview", "sensitivity"):
            first, reruns = time_page(store, page, args.repeat)
            print(
                f"{page:<12} first run {first:6.3f} s   rerun best {min(reruns):.3f} s, "
                f"median {statistics.median(reruns):.3f} s (goal: rerun < 0.5 s)"
            )
        if args.no_browser:
            return
        print("in Chromium, from the click to the rendered page (goal < 0.5 s):")
        for what, seconds in browser_measures(store, args.repeat).items():
            print(
                f"  {what:<32} best {min(seconds):.3f} s, median "
                f"{statistics.median(seconds):.3f} s ({len(seconds)} runs)"
            )
    visits = first_visit(3)
    print(
        f"first visit of a new database: {visits[0]:.3f} s (goal < 2 s); "
        f"later visits {', '.join(f'{v:.3f}' for v in visits[1:])} s"
    )


if __name__ == "__main__":
    main()
