"""Fixtures for the overview tests: three teams (behind, complete, failed) and a policy
whose organisation still has one checklist item to arrange."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from helpers.browser import ARGS, CHROMIUM
from helpers.render import make_policy, make_protocol
from helpers.report import (
    ORG_ACTION,
    org_gap,
    outputs,
)

from pipeline.models import Problem, Status, TeamResult


@pytest.fixture
def report_policy():
    policy = make_policy()
    policy.checklist["V2"] = ORG_ACTION
    return policy


@pytest.fixture
def results() -> list[TeamResult]:
    """Three teams: one behind (overdue evaluation), one complete, one failed."""
    late = make_protocol(team="Wijkteam <Noord> & Zuid", team_id="wijkteam")
    org_gap(late, "V2", team_part_missing=True)
    ok = make_protocol(status="vastgesteld", team_id="burgerzaken")
    ok.meta.next_evaluation = dt.date(2028, 1, 1)
    for item in ok.annex.items:
        if item.status is not Status.NVT:
            item.status, item.action, item.missing = Status.GEREGELD, None, []
    org_gap(ok, "V2")
    ok.annex.actions = [a for a in ok.annex.actions if a.origin == "organisatie"]
    failed = TeamResult(team_id="belastingen", status="mislukt", problems=[
        Problem(file="belastingen/team.docx", field="Vastgesteld op",
                message="de status is 'vastgesteld' maar dit veld is leeg",
                hint="Vul het in, of zet de status op 'concept'")])
    return [TeamResult(team_id="wijkteam", team=late.meta.team, status="gebouwd", protocol=late,
                       outputs=outputs("wijkteam")),
            TeamResult(team_id="burgerzaken", team=ok.meta.team, status="ongewijzigd",
                       protocol=ok, outputs=outputs("burgerzaken")),
            failed]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), "make setup installs Chromium (scripts/install-system.sh)"
    with sync_playwright() as p:
        # chromium_sandbox=False passes --no-sandbox (we run as root); Playwright gives the
        # browser a fresh profile in a temporary folder and removes it on close.
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, chromium_sandbox=False)
        try:
            yield b
        finally:
            b.close()
