"""Merge stage: merge rules, provenance, contact kinds, title-page facts (domain.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.catalogue import CHAPTERS, CONTACT_KINDS, FIELDS_BY_TAG, FORMS, Merge
from pipeline.errors import FormError
from pipeline.merge import (
    BEHAVIOUR_HEADER,
    contact_kinds,
    merge,
)
from pipeline.models import Block, Origin, Protocol, TeamForms
from pipeline.policy import default_policy_path, load_policy
from pipeline.text import dutch_date


def team_blocks(protocol: Protocol, tag: str) -> list[Block]:
    """The chapter blocks of one team-form field, in order."""
    return [b for c in protocol.chapters for b in c.team if b.source.tag == tag]


def appendix_blocks(protocol: Protocol, kind: str, tag: str) -> list[Block]:
    appendix = next(a for a in protocol.appendices if a.kind == kind)
    return [b for b in appendix.blocks if b.source.tag == tag]


def all_blocks(protocol: Protocol) -> list[Block]:
    return ([b for c in protocol.chapters for b in (*c.organisation, *c.team)]
            + [b for a in protocol.appendices for b in a.blocks])


# --- the four merge rules ------------------------------------------------------------------

def test_locked_ignores_what_the_team_typed(policy, team_form, team_forms):
    forms = team_forms(team_form(organisatienorm="Bij ons mag schelden gewoon."))
    protocol = merge(policy, forms)
    [block] = team_blocks(protocol, "team.organisatienorm")
    assert block.paragraphs == [policy.text("norm")]
    assert block.source.origin is Origin.ORGANISATION
    assert block.source.merge is Merge.LOCKED
    assert "schelden gewoon" not in protocol.model_dump_json()


def test_locked_field_on_a_contact_form_also_ignores_the_team(policy, team_form, form,
                                                              team_forms):
    forms = team_forms(team_form(), form("digitaal", sancties="Wij sanctioneren niet."))
    [block] = appendix_blocks(merge(policy, forms), "digitaal", "digitaal.sancties")
    assert block.paragraphs == [policy.text("sancties")]
    assert block.source.origin is Origin.ORGANISATION


def test_inherit_left_empty_gives_organisation_text(policy, team_form, team_forms):
    [block] = team_blocks(merge(policy, team_forms(team_form())), "team.melden")
    assert block.paragraphs == [policy.text("melden")]
    assert block.source.origin is Origin.ORGANISATION
    assert block.source.merge is Merge.INHERIT
    assert (block.source.form, block.source.tag) == ("team", "team.melden")


def test_inherit_filled_keeps_the_organisation_text_then_the_team_text(policy, team_form,
                                                                        team_forms):
    # The organisation frame is binding: the team's text adds to it, never replaces it.
    forms = team_forms(team_form(melden="Melden in GIR binnen 24 uur.\nBel ook de teamleider."))
    org, block = team_blocks(merge(policy, forms), "team.melden")
    assert org.paragraphs == [policy.text("melden")]
    assert org.source.origin is Origin.ORGANISATION
    assert block.paragraphs == ["Melden in GIR binnen 24 uur.", "Bel ook de teamleider."]
    assert block.source.origin is Origin.TEAM
    assert block.source.label == FIELDS_BY_TAG["team.melden"].label
    assert block.source.merge is Merge.INHERIT


def test_extend_gives_organisation_block_then_team_addition(policy, team_form, form,
                                                            team_forms):
    forms = team_forms(team_form(), form("balie", huisregels_aanvulling="Geen honden in de hal."))
    org, own = appendix_blocks(merge(policy, forms), "balie", "balie.huisregels_aanvulling")
    assert org.paragraphs == [policy.text("huisregels")]
    assert org.source.origin is Origin.ORGANISATION
    assert org.title == "Huisregels voor deze locaties"
    assert own.paragraphs == ["Geen honden in de hal."]
    assert own.source.origin is Origin.TEAM
    assert own.title == "Aanvullende huisregels voor deze locaties"
    assert org.source.merge is own.source.merge is Merge.EXTEND


def test_extend_without_addition_keeps_only_the_organisation_block(policy, team_form,
                                                                   team_forms):
    [block] = team_blocks(merge(policy, team_forms(team_form())), "team.visie_team")
    assert block.paragraphs == [policy.text("visie.uitdragen")]
    assert block.source.origin is Origin.ORGANISATION


def test_team_field_empty_shows_the_gap(policy, team_form, team_forms):
    [block] = team_blocks(merge(policy, team_forms(team_form())), "team.competenties")
    assert block.title == "Competenties bij de werkverdeling"
    # The gap is a marked box of its own, not a sentence of the text.
    assert block.paragraphs == []
    assert block.gap_note == "Nog niet ingevuld; zie onderdeel K4 in hoofdstuk 7."
    assert block.gap
    assert block.items == ["K4"]
    assert block.source.origin is Origin.TEAM
    assert block.source.merge is Merge.TEAM


def test_team_field_filled_shows_the_answer_verbatim(policy, team_form, team_forms):
    text = "Zware gesprekken <altijd> met z'n tweeën & {{ 7*7 }} {% if x %}"
    forms = team_forms(team_form(competenties=text))
    [block] = team_blocks(merge(policy, forms), "team.competenties")
    assert block.paragraphs == [text]


# --- provenance ----------------------------------------------------------------------------

@pytest.mark.parametrize("fill", [False, True])
def test_every_block_knows_its_source(policy, form, team_forms, fill):
    forms = team_forms(*(form(kind, fill=fill) for kind in FORMS))
    protocol = merge(policy, forms)
    blocks = all_blocks(protocol)
    sections = {s.title for s in FORMS["team"].sections if s.number in ("B", "C")}
    assert len(blocks) > 40
    for block in blocks:
        src = block.source
        if src.origin is Origin.TEAM:
            assert src.form in FORMS, block
            # A field, or (contact persons, contact types) a whole section of the team form.
            assert src.tag in FIELDS_BY_TAG or src.label in sections, block
        if src.tag is not None:
            assert src.merge is FIELDS_BY_TAG[src.tag].merge, block
        assert block.paragraphs or block.bullets or block.table or block.gap_note, block
    # Team-form fields feed the chapters; contact forms feed their appendix only.
    for chapter in protocol.chapters:
        assert {b.source.form for b in chapter.team} <= {"team"}


def test_chapters_carry_the_organisation_frame_in_order(policy, team_form, team_forms):
    protocol = merge(policy, team_forms(team_form()))
    assert [(c.number, c.title) for c in protocol.chapters] == list(CHAPTERS.items())
    for chapter in protocol.chapters:
        frame = chapter.organisation[0]
        assert frame.title == f"Kader {chapter.number}"
        assert frame.paragraphs == [f"Kadertekst {chapter.number}."]
        assert frame.bullets == [f"Punt {chapter.number}"]
        assert frame.source.origin is Origin.ORGANISATION


def test_behaviour_table_in_chapter_four_padded(policy, team_form, team_forms):
    chapter = merge(policy, team_forms(team_form())).chapters[3]
    [table] = [b for b in chapter.organisation if b.table]
    assert table.table == [BEHAVIOUR_HEADER, ["schelden", "stalken", "slaan"],
                           ["discrimineren", "", "spugen"], ["treiteren", "", ""]]
    assert table.source.origin is Origin.ORGANISATION
    assert table.source.merge is Merge.LOCKED


def test_behaviour_table_follows_the_block_that_points_to_it(team_form, team_forms):
    """The shipped policy's first chapter-4 block says the forms are "in de tabel hieronder"."""
    policy = load_policy(default_policy_path())
    chapter = merge(policy, team_forms(team_form())).chapters[3]
    first, second = chapter.organisation[:2]
    assert "in de tabel hieronder" in " ".join(first.paragraphs)
    assert second.title == "Vormen van normoverschrijdend gedrag"
    assert second.table


def test_identity_contact_types_and_actions_stay_out_of_chapters(policy, form, team_forms):
    protocol = merge(policy, team_forms(form("team", fill=True)))
    tags = {b.source.tag for c in protocol.chapters for b in c.team}
    skipped = {f.tag for s in FORMS["team"].sections if s.number in ("A", "B", "7")
               for f in s.fields}
    assert not tags & skipped
    assert {"team.teamoverleg", "team.competenties", "team.organisatienorm"} <= tags


def test_contact_persons_one_block_with_source_column(policy, team_form, team_forms):
    # A team's own contact comes first; the organisation's stays: the team adds, never removes.
    forms = team_forms(team_form(vertrouwenspersoon="M. de Vries, 06-12345678"))
    [block] = [b for b in merge(policy, forms).chapters[3].team if b.title == "Contactpersonen"]
    assert block.table == [
        ["Rol", "Contactpersoon", "Bron"],
        ["Coördinator agressie en geweld", "A. Coördinator, coördinator", "Organisatie"],
        ["Vertrouwenspersoon", "M. de Vries, 06-12345678", "Team"],
        ["Vertrouwenspersoon", "V. Persoon, vertrouwenspersoon", "Organisatie"],
        ["Contactpersoon opvang en nazorg", "N. Zorg, nazorg, 0123-456789", "Organisatie"],
    ]
    assert block.source.origin is Origin.TEAM


# --- answers as text -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2026, 3, 3), "3 maart 2026"),
    (dt.date(2025, 1, 1), "1 januari 2025"),
    (dt.date(2024, 12, 31), "31 december 2024"),
])
def test_dutch_date(value, expected):
    assert dutch_date(value) == expected


def test_answer_types_become_dutch_text(policy, team_form, form, team_forms):
    forms = team_forms(
        team_form(teamoverleg=dt.date(2026, 3, 3), intervisie="per kwartaal",
                  dilemmas="Eerste dilemma\n\nTweede dilemma\n"),
        form("balie", camera="ja", alarmknop="nee", huisregels_zichtbaar=None,
             locaties=[{"naam": "Stadhuis", "adres": "Markt 1", "openingstijden": None},
                       {"naam": None, "adres": None, "openingstijden": None}]),
    )
    protocol = merge(policy, forms)
    assert team_blocks(protocol, "team.teamoverleg")[0].paragraphs == ["3 maart 2026"]
    # A choice is a sentence, not a question as heading over "Per kwartaal" (domain.md).
    [intervision] = team_blocks(protocol, "team.intervisie")
    assert intervision.paragraphs == ["Het team komt per kwartaal bijeen voor intervisie."]
    assert intervision.title is None
    assert team_blocks(protocol, "team.dilemmas")[0].paragraphs == ["Eerste dilemma",
                                                                    "Tweede dilemma"]
    # A statement answered ja is the statement itself; nee and unanswered are visible gaps,
    # each a sentence ("…: nee." and "…: niet beantwoord." were the review's bad sentences).
    assert appendix_blocks(protocol, "balie", "balie.camera")[0].paragraphs == [
        "Er hangen camera's bij de balie en de ingang."]
    [alarm] = appendix_blocks(protocol, "balie", "balie.alarmknop")
    assert alarm.paragraphs == ["Nog niet elke balie en spreekkamer heeft een alarmknop."]
    assert alarm.gap_note == "Nog niet geregeld; zie onderdeel N7 in hoofdstuk 7."
    [rules] = appendix_blocks(protocol, "balie", "balie.huisregels_zichtbaar")
    # Named in its box only, in the editor's sentence: no sentence above it saying the same.
    assert rules.paragraphs == []
    assert rules.gap_note == ("Het team heeft nog niet ingevuld of dit klopt: de huisregels "
                              "hangen zichtbaar op elke locatie; zie onderdeel O4 in hoofdstuk 7.")
    assert rules.unanswered == "De huisregels hangen zichtbaar op elke locatie"
    assert "Nee (niet aangevinkt)" not in protocol.model_dump_json()
    [rows] = appendix_blocks(protocol, "balie", "balie.locaties")
    assert rows.table == [["Locatie", "Adres", "Openingstijden"], ["Stadhuis", "Markt 1", ""]]


def test_lines_with_dashes_become_bullets(policy, team_form, team_forms):
    forms = team_forms(team_form(risicos="- huisbezoek alleen\n• slechtnieuwsgesprek"))
    [block] = team_blocks(merge(policy, forms), "team.risicos")
    assert block.bullets == ["huisbezoek alleen", "slechtnieuwsgesprek"]
    assert block.paragraphs == []


def test_short_text_is_verbatim(policy, team_form, team_forms):
    forms = team_forms(team_form(opvolging="iemand van het MT"))
    [block] = team_blocks(merge(policy, forms), "team.opvolging")
    assert block.paragraphs == ["iemand van het MT"]


def test_policy_text_wrapped_lines_joined_and_bullets_kept(policy_factory, team_form,
                                                          team_forms):
    text = ("Na een incident zorgt de leidinggevende\nvoor opvang.\n\nDaarbij:\n"
            "- een gesprek op de dag zelf\n- een tweede gesprek na een week\n")
    policy = policy_factory(texts={"nazorg": text})
    [block] = team_blocks(merge(policy, team_forms(team_form())), "team.opvang")
    assert block.paragraphs == ["Na een incident zorgt de leidinggevende voor opvang.",
                                "Daarbij:"]
    assert block.bullets == ["een gesprek op de dag zelf", "een tweede gesprek na een week"]


def test_frequency_niet_is_shown_not_hidden(policy, team_form, team_forms):
    [block] = team_blocks(merge(policy, team_forms(team_form(intervisie="niet"))),
                          "team.intervisie")
    assert block.paragraphs == ["Het team komt niet bijeen voor intervisie."]
    assert block.gap_note == "Dit antwoord is nog geen afspraak; zie onderdeel L1 in hoofdstuk 7."
    assert block.gap


# --- contact kinds and appendices ------------------------------------------------------------

def test_contact_kinds_union_of_ticked_boxes_and_forms_in_catalogue_order(policy, team_form,
                                                                          form, team_forms):
    forms = team_forms(team_form(contact_digitaal=True),
                       form("bijeenkomsten"), form("balie"))
    assert contact_kinds(forms) == ["balie", "digitaal", "bijeenkomsten"]
    protocol = merge(policy, forms)
    assert protocol.meta.contact_kinds == ["balie", "digitaal", "bijeenkomsten"]
    assert [a.title for a in protocol.appendices] == [
        f"Bijlage {n}: " + CONTACT_KINDS[k]
        for n, k in enumerate(("balie", "digitaal", "bijeenkomsten"), 1)]


def test_no_contact_kinds_no_appendices(policy, team_form, team_forms):
    protocol = merge(policy, team_forms(team_form()))
    assert protocol.meta.contact_kinds == []
    assert protocol.appendices == []
    # Keeping order (O5) and posting the house rules (O4) ask something of every team.
    assert [b.source.tag for b in protocol.chapters[2].team] == ["team.orde",
                                                                 "team.huisregels_locatie"]


def test_chapter_three_points_to_the_numbered_appendices_once(policy, team_form, team_forms):
    protocol = merge(policy, team_forms(team_form(contact_balie=True, contact_digitaal=True)))
    pointer = protocol.chapters[2].team[-1]
    assert pointer.title == "Afspraken per contactvorm"
    assert pointer.bullets == ["Bijlage 1: Balie en spreekkamer",
                               "Bijlage 2: Telefoon, e-mail, post en sociale media"]
    assert pointer.bullets == [a.title for a in protocol.appendices]
    # Said once: chapter 4, which the appendices also add to, does not repeat it.
    assert [c.number for c in protocol.chapters for b in c.team
            if b.title == "Afspraken per contactvorm"] == [3]


def test_an_appendix_refers_to_an_organisation_text_the_chapters_show(policy, form,
                                                                      team_forms):
    forms = team_forms(*(form(kind, fill=True) for kind in FORMS))
    protocol = merge(policy, forms)
    shown = {(*b.paragraphs, *b.bullets) for c in protocol.chapters
             for b in (*c.organisation, *c.team) if b.source.origin is Origin.ORGANISATION}
    for appendix in protocol.appendices:
        for block in appendix.blocks:
            content = (*block.paragraphs, *block.bullets)
            if block.source.origin is Origin.ORGANISATION and len(content) > 1:
                assert content not in shown, block


def test_ticked_contact_kind_without_form_says_not_handed_in(policy, team_form, team_forms):
    protocol = merge(policy, team_forms(team_form(contact_huisbezoek=True)))
    [appendix] = protocol.appendices
    assert appendix.title == "Bijlage 1: Huis- en bedrijfsbezoek"
    [block] = appendix.blocks
    assert "niet ingeleverd" in block.paragraphs[0]
    assert "Bijlage huis- en bedrijfsbezoek" in block.paragraphs[0]
    assert (block.source.origin, block.source.form) == (Origin.TEAM, "huisbezoek")


def test_appendix_holds_every_field_of_its_form(policy, form, team_forms):
    protocol = merge(policy, team_forms(form("team"), form("huisbezoek", fill=True)))
    [appendix] = protocol.appendices
    assert {b.source.tag for b in appendix.blocks} == {f.tag for f in FORMS["huisbezoek"].fields}


# --- title page facts ------------------------------------------------------------------------

def test_meta_concept_by_default(policy, team_form, team_forms):
    meta = merge(policy, team_forms(team_form(teamoverleg=dt.date(2026, 2, 10),
                                              volgende_evaluatie=dt.date(2027, 2, 1),
                                              aantal_medewerkers="12"))).meta
    assert meta.organisation == "Gemeente Testdorp"
    assert (meta.team, meta.department, meta.team_lead, meta.version, meta.staff) == (
        "Team Burgerzaken", "Publiekszaken", "L. Eiding", "1.0", "12")
    assert meta.status == "concept"
    assert meta.next_evaluation == dt.date(2027, 2, 1)
    [entry] = meta.history
    assert (entry.version, entry.date, entry.status) == ("1.0", dt.date(2026, 2, 10), "concept")
    assert entry.note == "Concept op basis van de teamformulieren"


def test_meta_adopted(policy, team_form, team_forms):
    meta = merge(policy, team_forms(team_form(
        status="vastgesteld", vastgesteld_door="MT Publiekszaken",
        vastgesteld_op=dt.date(2026, 3, 3), teamoverleg=dt.date(2026, 2, 10)))).meta
    assert (meta.status, meta.adopted_by, meta.adopted_on) == (
        "vastgesteld", "MT Publiekszaken", dt.date(2026, 3, 3))
    [entry] = meta.history
    assert entry.date == dt.date(2026, 3, 3)
    assert entry.note == "Vastgesteld door MT Publiekszaken"


def test_missing_team_form_is_a_form_error(policy, form):
    with pytest.raises(FormError, match="teamformulier ontbreekt") as info:
        merge(policy, TeamForms(team_id="t9", forms={"balie": form("balie", "t9")}))
    assert info.value.file == "t9/team.docx"


def test_stap_1_and_stap_2_are_in_the_protocol_when_and_with_whom(policy, team_form, team_forms):
    protocol = merge(policy, team_forms(team_form(
        inventarisatie=dt.date(2026, 3, 10), inventarisatie_deelnemers="R. Smit en de coördinator",
        teamoverleg=dt.date(2026, 4, 14), teamoverleg_deelnemers="Het hele team (12)")))
    shown = {b.title: b.paragraphs for b in protocol.chapters[5].team}
    # Noun headings in the protocol, not the form's questions (review of 0.3.1).
    assert shown["Gesprek met de coördinator (stap 1)"] == ["10 maart 2026"]
    assert shown["Deelnemers gesprek stap 1"] == ["R. Smit en de coördinator"]
    assert shown["Teamoverleg (stap 2)"] == ["14 april 2026"]
    assert shown["Deelnemers teamoverleg stap 2"] == ["Het hele team (12)"]
    assert not [t for t in shown if t and t.startswith(("Wie ", "Hoe ", "Wanneer "))]
    # Left empty, they are visible gaps, not silently dropped.
    empty = {b.title: b for b in merge(policy, team_forms(team_form())).chapters[5].team}
    assert empty["Deelnemers gesprek stap 1"].gap_note.startswith(
        "Nog niet ingevuld")
