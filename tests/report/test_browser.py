"""overzicht.html in a real browser: Debian's headless Chromium, driven by Playwright.

At 390 px (a phone) nothing overflows sideways: the teams table scrolls inside its box with
the team column kept in place, the actions become cards. The links lead to the files, the
open-actions table holds what the teams planned, the page carries the house colour and logo.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers.browser import axe_violations, open_page
from helpers.render import COLOUR
from helpers.report import TODAY

from pipeline.report import build_overview, write_overview

pytestmark = pytest.mark.slow  # starts Chromium

# The fixture's built teams are all of one department (helpers.render.make_protocol).
DEPARTMENT = "details.dept[data-dept='Publiekszaken']"


@pytest.fixture
def out(results, report_policy, logo, tmp_path) -> Path:
    for r in results:
        for path in r.outputs.values():  # the files the links point to
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(b"x")
    write_overview(results, tmp_path, today=TODAY, policy=report_policy, logo=logo)
    return tmp_path


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40));
  return {width, scroll: document.documentElement.scrollWidth, outside};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_wcag_21_aa_violation(browser, out, width):
    page = open_page(browser, out, width)
    assert axe_violations(page) == []
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_overflows_sideways(browser, out, width):
    page = open_page(browser, out, width)
    found = page.evaluate(OVERFLOW)
    assert found["width"] == width
    assert found["scroll"] <= width, found
    assert found["outside"] == []
    boxes = page.locator("#teams .scroll")  # one per department
    assert boxes.count() == 2
    assert max(boxes.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().right)")) <= width
    page.close()


def test_on_a_phone_the_team_column_stays_while_the_table_scrolls(browser, out):
    page = open_page(browser, out, 390)
    box = page.locator(f"{DEPARTMENT} .scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the chapters are further right
    first = box.locator("table.teams tbody th[scope=row]").first
    heat = box.locator("table.teams tbody tr:nth-child(2) td.heat").first
    before, heat_before = first.bounding_box()["x"], heat.bounding_box()["x"]
    box.evaluate("e => { e.scrollLeft = 300; }")
    assert first.bounding_box()["x"] == pytest.approx(before, abs=1)  # a border's half pixel
    assert heat.bounding_box()["x"] < heat_before - 100
    # The actions are cards: the header row is hidden, each cell is a labelled line.
    cell = page.locator("table.actions tbody td").first
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    assert cell.evaluate("e => getComputedStyle(e, '::before').content") == '"Onderdeel: "'
    assert page.locator("table.actions thead").first.bounding_box()["height"] <= 1
    page.close()


def test_links_lead_to_each_teams_pdf_and_word_file(browser, out, results):
    page = open_page(browser, out, 1280)
    links = page.locator("table.teams a").evaluate_all(
        "as => as.map(a => [a.textContent, a.getAttribute('href'), a.href])")
    built = [r for r in results if r.status != "mislukt"]
    assert len(links) == 2 * len(built) + 1  # PDF and Word per team, the failure note's link
    files = [(text, href, url) for text, href, url in links if not href.startswith("#")]
    assert sorted(href for _, href, _ in files) == sorted(
        r.outputs[k] for r in built for k in ("pdf", "docx"))
    for text, href, url in files:
        assert ":" not in href  # relative: the folder can be moved or shared
        assert not href.startswith("/")
        assert url.startswith("file://")
        assert Path(unquote(url.removeprefix("file://"))).is_file(), url
        assert text == ("PDF" if href.endswith(".pdf") else "Word")
    page.close()


def test_open_actions_table(browser, out, results, report_policy):
    page = open_page(browser, out, 1280)
    # One table per team, under a summary naming the team and its count.
    summary = page.locator("details.acties summary").all_inner_texts()
    planned = build_overview(results, report_policy, TODAY).planned
    assert summary == [f"{planned[0].team} · {len(planned)} acties, {len(planned)} verlopen"]
    table = page.locator("table.actions")
    header = table.locator("thead th").all_inner_texts()
    assert header == ["Onderdeel", "Actie", "Eigenaar", "Uiterlijk"]
    rows = table.locator("tbody tr").evaluate_all(
        "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))")
    assert len(rows) == len(planned) > 0
    for row, action in zip(rows, planned, strict=True):
        item, what, owner, due = row
        assert item.startswith(action.item)
        assert what == action.what
        assert owner == action.owner
        assert due.startswith(f"{action.due.day} september {action.due.year}")
        assert due.endswith("verlopen") == action.overdue
    assert all(a.overdue for a in planned)  # all due 1 september 2026, before the build date
    badge = table.locator(".badge.late").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(192, 0, 0)"
    # The items without an action, per team, and the organisation's own item once.
    unplanned = page.locator("table.unplanned tbody tr").all_inner_texts()
    assert len(unplanned) == 1
    assert unplanned[0].startswith("Wijkteam <Noord> & Zuid")
    org = page.locator("table.organisation tbody tr").all_inner_texts()
    assert len(org) == 1
    assert "V2" in org[0]
    assert "30 juni 2027" in org[0]
    page.close()


def test_failed_teams_on_top_house_colour_and_logo(browser, out):
    page = open_page(browser, out, 1280)
    sections = page.locator("main section").evaluate_all("ss => ss.map(s => s.id)")
    assert sections[0] == "mislukt"
    assert "Vul het in, of zet de status op 'concept'." in page.locator("#mislukt").inner_text()
    first = page.locator("table.teams tbody th[scope=row] .team").all_inner_texts()
    assert first == ["belastingen", "Wijkteam <Noord> & Zuid", "Burgerzaken & Publiek"]
    red, green, blue = (int(COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    th = page.locator("table.teams thead th").first
    assert th.evaluate("e => getComputedStyle(e).backgroundColor") == f"rgb({red}, {green}, {blue})"
    logo = page.locator("header img")
    assert logo.evaluate("e => e.complete && e.naturalWidth") == 240
    late = page.locator(f"{DEPARTMENT} tbody tr").first.locator(".badge").inner_text()
    assert late == "verlopen"  # wijkteam's evaluation of 20 januari 2027
    assert dt.date(2027, 1, 20) < TODAY
    page.close()


# A4 landscape less the print stylesheet's 10 mm margins, in CSS pixels (96 per inch).
A4_LANDSCAPE_PX = round((297 - 20) / 25.4 * 96)


def test_printed_on_a4_landscape_every_column_fits_and_colours_stay(browser, out):
    """Chromium's print (the PDF it makes, as a coordinator's "Afdrukken" does): A4 landscape,
    the teams table with all its columns on the page, the heat colours kept."""
    import io

    from pypdf import PdfReader

    page = open_page(browser, out, 1280)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 700})
    tables = page.locator("table.teams")
    assert max(tables.evaluate_all("ts => ts.map(t => t.getBoundingClientRect().right)")
               ) <= A4_LANDSCAPE_PX
    assert all(page.locator("#teams .scroll").evaluate_all(
        "bs => bs.map(b => b.scrollWidth <= b.clientWidth)"))
    heat = page.locator("td.heat").first
    assert heat.evaluate("e => getComputedStyle(e).printColorAdjust") == "exact"
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = "".join(p.extract_text() for p in pdf.pages)
    for header in ("Geregeld", "Volgende evaluatie", "Open punten"):
        assert header in text
    page.close()


def test_the_evaluation_line_is_true_when_a_team_failed(browser, results, report_policy,
                                                        tmp_path):
    """No evaluation asks for attention among the built teams, but a team failed: its
    evaluation is unknown, so the page does not say that all of them are planned."""
    kept = [r for r in results if r.team_id != "wijkteam"]  # the one with a late evaluation
    write_overview(kept, tmp_path, today=TODAY, policy=report_policy)
    page = open_page(browser, tmp_path, 1280)
    line = page.locator("#evaluaties").inner_text()
    assert "Alle evaluaties zijn gepland" not in line
    assert "Van de teams met een protocol zijn alle evaluaties gepland" in line
    assert "Van 1 team dat niet gelukt is, is niet bekend of de evaluatie gepland is" in line
    page.close()


def test_printed_no_page_ends_with_a_section_heading(browser, results, report_policy,
                                                     tmp_path):
    """Printed with 1 to 6 teams (so the sections fall at different places on the pages),
    no page ends with a section's heading whose content starts on the next page."""
    import io

    from pypdf import PdfReader

    headings = None
    for n in range(1, 7):  # without break-after: avoid, 3 teams ended page 1 on a heading
        teams = [r.model_copy(update={"team_id": f"{r.team_id}-{i}"})
                 for i in range(n) for r in results[:1]]
        folder = tmp_path / str(n)
        write_overview([*teams, *results[1:]], folder, today=TODAY, policy=report_policy)
        page = open_page(browser, folder, 1280)
        page.emulate_media(media="print")
        headings = page.locator("h2").all_inner_texts()
        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        page.close()
        for number, sheet in enumerate(pdf.pages[:-1], 1):
            lines = [line.strip() for line in sheet.extract_text().splitlines() if line.strip()]
            assert lines[-1] not in headings, (n, number, lines[-1])
    assert headings
