"""The overview's data: the team's own score, organisation gaps apart, order, flags, actions.

Also the html text itself (escaped, self-contained, branded); the page in a real browser is
in test_report_browser.py, the workbook in test_report_xlsx.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re

import pytest
from helpers.examples import example, example_ids
from helpers.render import COLOUR
from helpers.report import ORG_ACTION, TODAY
from PIL import Image

from pipeline.batch import assemble
from pipeline.models import OPEN, BuildStatus, Status, TeamResult
from pipeline.policy import load_policy
from pipeline.render.annex import annex_view
from pipeline.report import HTML, XLSX, build_overview, write_overview
from pipeline.report.data import Evaluation, evaluation_flag


def test_team_score_is_the_annexs_count_and_names_what_waits_for_the_organisation(
        results, report_policy):
    teams = {t.team_id: t for t in build_overview(results, report_policy, TODAY).teams}
    ok, late = teams["burgerzaken"], teams["wijkteam"]
    # V2 is open only because of the organisation's action: not arranged, in the overview as
    # in the annex (one number), and shown as waiting for the organisation.
    ann = results[[r.team_id for r in results].index("burgerzaken")].protocol.annex
    assert ok.chapters[1].arranged == ann.chapters[0].counts[Status.GEREGELD]
    assert ok.chapters[1].share == 0.5
    assert ok.chapters[1].organisation_open == 1
    assert ok.open == 0
    assert ok.organisation_open == 1
    # The same item with the team's own part missing too is a gap of the team as well.
    items = results[0].protocol.annex.items
    chapter1 = [i for i in items if i.chapter == 1 and i.status is not Status.NVT]
    own_done = sum(i.status is Status.GEREGELD for i in chapter1)
    assert late.chapters[1].share == pytest.approx(own_done / len(chapter1))
    assert late.chapters[1].organisation_open == 1
    assert late.open == sum(i.status in OPEN for i in items)
    # Whose part is open is recorded on the item by assess; the overview needs no policy.
    teams = {t.team_id: t for t in build_overview(results, None, TODAY).teams}
    assert teams["burgerzaken"].chapters[1].organisation_open == 1


def test_failed_teams_first_then_the_furthest_behind(results, report_policy):
    overview = build_overview(results, report_policy, TODAY)
    assert [t.team_id for t in overview.teams] == ["belastingen", "wijkteam", "burgerzaken"]
    [failed] = overview.failed
    assert failed.problems == [{
        "file": "belastingen/team.docx", "field": "Vastgesteld op",
        "message": "de status is 'vastgesteld' maar dit veld is leeg.",
        "hint": "Vul het in, of zet de status op 'concept'."}]
    assert (failed.chapters, failed.open, failed.links) == ({}, None, {})


@pytest.mark.parametrize(("days", "flag"), [
    (None, Evaluation.UNPLANNED), (-1, Evaluation.OVERDUE), (0, Evaluation.SOON),
    (60, Evaluation.SOON), (61, None)])
def test_evaluation_flags(days, flag):
    date = None if days is None else TODAY + dt.timedelta(days=days)
    assert evaluation_flag(date, TODAY) == flag


def test_actions_overdue_against_the_build_date(results, report_policy):
    actions = results[0].protocol.annex.actions
    actions[0].due, actions[1].due = TODAY - dt.timedelta(days=1), TODAY
    overview = build_overview(results, report_policy, TODAY)
    mine = [a for a in overview.actions if a.team_id == "wijkteam"]
    team_actions = [a for a in actions if a.origin != "organisatie"]
    # Every action of the team, plus V2's team part, which has no action of its own.
    assert len(mine) == len(team_actions) + 1
    by_due = {a.due: a for a in mine}
    assert by_due[TODAY - dt.timedelta(days=1)].overdue is True
    assert by_due[TODAY].overdue is False
    dates = [a.due for a in mine]
    assert dates == sorted(dates, key=lambda d: (d is None, d or dt.date.max))  # earliest first
    [v2] = [a for a in mine if a.item == "V2"]
    assert (v2.what, v2.owner) == (None, None)  # nobody has said who does it
    open_action = next(a for a in mine if a.item is None)  # "Evaluatie plannen", origin open
    assert open_action.what is None
    assert {t for t, _ in overview.unplanned} == {"Wijkteam <Noord> & Zuid"}
    # The organisation's action is listed once, for the two teams it concerns.
    [org] = overview.organisation_actions
    assert (org.item, org.owner, org.due, org.teams) == ("V2", "Coördinator", ORG_ACTION.due, 2)
    assert not any(a.item == "V2" and a.what for a in overview.actions)


def test_html_escaped_self_contained_and_branded(results, report_policy, logo, tmp_path):
    paths = write_overview(results, tmp_path, today=TODAY, policy=report_policy, logo=logo)
    assert [p.name for p in paths] == [XLSX, HTML]
    assert not list(tmp_path.glob(".*.tmp"))
    page = (tmp_path / HTML).read_text(encoding="utf-8")
    assert html.escape("Wijkteam <Noord> & Zuid") in page
    assert "<Noord>" not in page
    assert html.escape("Regel K1 & zorg <dat> het klopt") in page
    # One inline script (search and the print view of one department) and its data,
    # nothing loaded.
    assert page.count("<script") == 2
    assert "<script>" in page
    assert '<script type="application/json" id="gegevens">' in page
    assert "http" not in page  # nothing fetched from elsewhere, the logo is embedded
    assert 'src="data:image/png;base64,' in page
    assert 'lang="nl"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "stand van 1 maart 2027" in page
    assert f"--huis: {COLOUR};" in page
    assert 'href="wijkteam/teamprotocol-wijkteam.pdf"' in page
    assert 'href="wijkteam/teamprotocol-wijkteam.docx"' in page
    assert "belastingen/team.docx" in page
    assert "Vul het in, of zet de status op &#39;concept&#39;." in page


@pytest.mark.parametrize(("colour", "on", "heading"), [
    ("#1F5C4A", "#ffffff", "#1F5C4A"),  # the example's dark green
    ("#FFEB84", "#000000", "#1d1d1d"),  # a light yellow: black on it, not as heading text
    ("#7A1F5C", "#ffffff", "#7A1F5C")])
def test_house_colour_stays_readable(results, report_policy, tmp_path, colour, on, heading):
    branding = report_policy.branding.model_copy(update={"colour": colour})
    policy = report_policy.model_copy(update={"branding": branding})
    write_overview(results, tmp_path, today=TODAY, policy=policy)
    page = (tmp_path / HTML).read_text(encoding="utf-8")
    assert f":root {{ --huis: {colour}; --op-huis: {on}; --kop: {heading}; }}" in page


def test_a_large_logo_is_embedded_small(results, report_policy, tmp_path):
    big = tmp_path / "groot.png"
    Image.effect_noise((1800, 600), 64).convert("RGB").save(big)  # ~3 MB of noise
    write_overview(results, tmp_path, today=TODAY, policy=report_policy, logo=big)
    page = (tmp_path / HTML).read_text(encoding="utf-8")
    [uri] = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    with Image.open(io.BytesIO(base64.b64decode(uri))) as img:
        assert img.size == (336, 112)
    assert len(page) < 200_000


def test_html_without_logo_policy_or_teams(tmp_path):
    write_overview([], tmp_path, today=TODAY)
    page = (tmp_path / HTML).read_text(encoding="utf-8")
    assert "<img" not in page
    assert "0 teams" in page
    assert "Geen open acties" not in page  # no table, but a sentence that fits
    assert "De teams hebben geen acties gepland." in page


@pytest.fixture(scope="module")
def assembled():
    """The example teams' protocols, assembled as the batch does (no Word file, no PDF)."""
    return {team_id: assemble(load_policy(), example(team_id), today=TODAY)
            for team_id in example_ids()}


@pytest.mark.parametrize("team_id", example_ids())
def test_the_annex_and_the_overview_count_whose_part_is_open_alike(assembled, team_id):
    protocol = assembled[team_id]
    scores = annex_view(protocol)["scores"]
    result = TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.BUILT,
                        protocol=protocol)
    [row] = build_overview([result], load_policy(), TODAY).teams
    assert sum(s["team"] for s in scores) == row.open
    assert sum(s["organisation"] for s in scores) == row.organisation_open
    for s in scores:
        assert s["organisation"] == row.chapters[s["number"]].organisation_open


def test_an_item_open_on_both_sides_counts_for_both(assembled):
    both = [i for p in assembled.values() for i in p.annex.items
            if i.open_for_team and i.open_for_organisation]
    assert both, "the example teams no longer have an item open for team and organisation"
    for item in both:
        assert {m.party for m in item.missing} == {"team", "organisatie"}
        assert item.action is not None
        assert item.action.origin == "organisatie"
