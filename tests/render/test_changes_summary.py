"""The change document's summary (issue 24): one line per changed place, read from two real
renderings of the protocol (same template), and the Versiebeheer note made from it."""

from __future__ import annotations

import pytest
from helpers.render import make_protocol

from pipeline.changes import compare, version_note
from pipeline.policy import load_policy
from pipeline.render import render_protocol


@pytest.fixture(scope="module")
def rendered_old() -> bytes:
    return render_protocol(make_protocol(status="vastgesteld"), load_policy())


def _lines(rendered_old: bytes, change) -> list[tuple[str, str]]:
    new = make_protocol()
    change(new)
    return compare(rendered_old, render_protocol(new, load_policy())).lines()


def test_a_short_change_shows_the_changed_clause_old_and_new(rendered_old):
    def change(p):
        p.meta.team_lead = "K. Jansen"
        p.appendices[0].blocks[0].table[1][2] = "9-16 uur"
    lines = _lines(rendered_old, change)
    assert ("Titelpagina", "Leidinggevende: D. Smit → K. Jansen") in lines
    assert ("Bijlage 1: Balie en spreekkamer", "Stadskantoor: 9-17 uur → 9-16 uur") in lines


def test_a_new_row_is_one_line_and_a_removed_part_says_so(rendered_old):
    def change(p):
        p.appendices[0].blocks[0].table.append(["Wijkpost", "Plein 3", "9-12 uur"])
        del p.chapters[1].team[0]
    lines = dict((line, chapter) for chapter, line in _lines(rendered_old, change))
    assert "Locaties: Wijkpost · Plein 3 · 9-12 uur (nieuw)" in lines
    assert "2.2 Wat in ons werk over de grens gaat: onderdeel vervallen" in lines


def test_a_long_text_change_is_named_and_the_note_leaves_out_the_version_facts(rendered_old):
    def change(p):
        p.chapters[3].team[0].paragraphs[0] = (
            "Wij en de wijk: samen sterk tegen agressie, ook bij huisbezoeken en aan de "
            "telefoon, en altijd met twee collega's in de spreekkamer.")
    result_lines = _lines(rendered_old, change)
    assert ("4. Normoverschrijdend gedrag tegengaan",
            "4.2 Wat in ons werk over de grens gaat: tekst gewijzigd") in result_lines
    new = make_protocol()
    change(new)
    note = version_note(compare(rendered_old, render_protocol(new, load_policy())))
    assert note == "gewijzigd: 4.2 Wat in ons werk over de grens gaat: tekst gewijzigd"


def test_the_same_text_has_no_changes(rendered_old):
    same = render_protocol(make_protocol(status="vastgesteld"), load_policy())
    assert compare(rendered_old, same).lines() == []
    assert version_note(compare(rendered_old, same)) == "geen inhoudelijke wijzigingen"
