"""The overview of a large organisation: `overzicht.html` and `overzicht.xlsx` for N teams
(default 2,000, issue 26), made from the records of the teams the bench just built, each
copied with a new id, name and one of 40 departments; its size, the time to write it, and
the time Debian's Chromium takes to load it (the page's `load` event, best of three)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.batch.records import load_records
from pipeline.models import BuildStatus, TeamResult
from pipeline.policy import default_policy_path, load_policy, resolve_logo
from pipeline.report import HTML, XLSX, write_overview

CHROMIUM = "/usr/bin/chromium"  # as the overview's browser tests
DEPARTMENTS = 40


@dataclass
class LargeOverview:
    teams: int
    actions: int
    write_s: float
    html_bytes: int
    xlsx_bytes: int
    load_s: list[float]  # Chromium: navigation start to the load event, per try

    def lines(self) -> list[str]:
        best = min(self.load_s) if self.load_s else float("nan")
        return [f"  {self.teams} teams in {min(DEPARTMENTS, self.teams)} departments, "
                f"{self.actions} open actions",
                f"  overzicht.html {self.html_bytes / 1e6:6.2f} MB, overzicht.xlsx "
                f"{self.xlsx_bytes / 1e6:.2f} MB, both written in {self.write_s:.2f} s",
                f"  Chromium loads the page in {best:.3f} s (best of {len(self.load_s)}; "
                f"median {statistics.median(self.load_s):.3f} s)"]


def _results(out_dir: Path, n: int) -> list[TeamResult]:
    teams = sorted(load_records(out_dir).teams.items())
    assert teams, f"no overview records in {out_dir}: build first"
    results = []
    for i in range(n):
        team_id, record = teams[i % len(teams)]
        new_id = f"{team_id}-{i:04d}"
        meta = record.protocol.meta.model_copy(update={
            "team_id": new_id, "team": f"{record.protocol.meta.team} {i}",
            "department": f"Afdeling {i % DEPARTMENTS + 1:02d}"})
        stem = f"{new_id}/teamprotocol-{new_id}"
        results.append(TeamResult(
            team_id=new_id, team=meta.team, status=BuildStatus.UNCHANGED,
            protocol=record.protocol.model_copy(update={"meta": meta}),
            outputs={"docx": f"{stem}.docx", "pdf": f"{stem}.pdf"}))
    return results


def large_overview(out_dir: Path, work: Path, n: int, today: dt.date) -> LargeOverview:
    """Write the overview of `n` teams copied from `out_dir`'s records into `work`, and load
    it in Chromium."""
    from playwright.sync_api import sync_playwright  # a test dependency, as the bench's

    results = _results(out_dir, n)
    policy = load_policy()
    logo = resolve_logo(policy, default_policy_path())
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    write_overview(results, work, today=today, policy=policy, logo=logo)
    write_s = time.perf_counter() - start
    actions = sum(len(r.protocol.annex.actions) for r in results if r.protocol is not None)
    loads = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, chromium_sandbox=False,
                                    args=["--disable-gpu", "--no-first-run"])
        try:
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto((work / HTML).as_uri(), wait_until="load")
                loads.append(page.evaluate(
                    "() => performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                page.close()
        finally:
            browser.close()
    return LargeOverview(teams=n, actions=actions, write_s=write_s,
                         html_bytes=(work / HTML).stat().st_size,
                         xlsx_bytes=(work / XLSX).stat().st_size, load_s=loads)
