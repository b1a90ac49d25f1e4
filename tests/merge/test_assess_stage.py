"""Assess stage: checklist status per item, actions for gaps, chapter scores and topics."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.assess import missing_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipeline.assess import RANK, assess, combine
from pipeline.batch import assemble
from pipeline.catalogue import (
    CHAPTERS,
    CHECKLIST,
    CONTACT_KINDS,
    FIELDS_BY_TAG,
    FORMS,
    INSPECTION_TOPICS,
    Merge,
)
from pipeline.merge import contact_kinds, merge
from pipeline.models import Annex, ItemAssessment, Origin, Protocol, Status
from pipeline.policy import ChecklistAnswer

GER, DLS, ONT, NVT = Status.GEREGELD, Status.DEELS, Status.ONTBREEKT, Status.NVT


# The build date of these tests: the filled dates (3 March 2026) are neither past nor future.
TODAY = dt.date(2026, 3, 3)


def run(policy, forms) -> Annex:
    return assess(policy, forms, contact_kinds(forms), today=TODAY)


def item(annex: Annex, id_: str) -> ItemAssessment:
    return next(i for i in annex.items if i.id == id_)


def action_row(wat: str, onderdeel: str | None, eigenaar: str | None = None,
               datum: dt.date | None = None) -> dict:
    return {"wat": wat, "onderdeel": onderdeel, "eigenaar": eigenaar, "datum": datum}


# --- n.v.t. for contact-type items ----------------------------------------------------------

def test_o2_not_applicable_without_home_visits(policy, team_form, form, team_forms):
    annex = run(policy, team_forms(team_form(contact_balie=True), form("balie", fill=True)))
    o2 = item(annex, "O2")
    assert o2.status is NVT
    assert o2.action is None
    assert o2.sources == []


def test_o2_applies_with_home_visits(policy, team_form, form, team_forms):
    full = run(policy, team_forms(team_form(), form("huisbezoek", fill=True)))
    assert item(full, "O2").status is GER
    # How the conditions reach the burger (team) is empty; the conditions themselves (extend)
    # and what happens when they are not met (inherit) are the organisation's and apply.
    part = run(policy, team_forms(team_form(), form("huisbezoek")))
    o2 = item(part, "O2")
    assert o2.status is DLS
    assert missing_texts(o2) == ["bijlage huis- en bedrijfsbezoek: Hoe de burger de voorwaarden "
                          "vooraf krijgt (niet ingevuld)"]


def test_ticked_contact_kind_makes_item_applicable_even_without_form(policy, team_form,
                                                                     team_forms):
    o2 = item(run(policy, team_forms(team_form(contact_huisbezoek=True))), "O2")
    assert o2.status is ONT
    assert missing_texts(o2) == ["bijlage huis- en bedrijfsbezoek ontbreekt"]


# --- organisation + team sources --------------------------------------------------------------

@pytest.mark.parametrize(("arranged", "risicos", "expected"), [
    (True, "Huisbezoeken en slechtnieuwsgesprekken.", GER),
    (True, None, DLS),
    (False, "Huisbezoeken en slechtnieuwsgesprekken.", DLS),
    (False, None, ONT),
])
def test_n1_combines_organisation_and_team(policy_factory, team_form, team_forms, arranged,
                                           risicos, expected):
    policy = policy_factory(not_arranged=() if arranged else ("N1",))
    n1 = item(run(policy, team_forms(team_form(risicos=risicos))), "N1")
    assert n1.status is expected
    assert [s.origin for s in n1.sources] == [Origin.ORGANISATION, Origin.TEAM]
    assert n1.sources[1].tag == "team.risicos"
    if arranged:
        assert n1.sources[0].label == "Document N1, 2024-03"


def test_organisation_not_arranged_uses_its_action(policy_factory, team_form, team_forms):
    policy = policy_factory(not_arranged=("N1",))
    risks = "Balie en spreekkamer bij slechtnieuwsgesprekken."
    n1 = item(run(policy, team_forms(team_form(risicos=risks))), "N1")
    # What is missing is the arrangement; what the organisation will do is the action.
    assert missing_texts(n1) == ["organisatie: nog niet geregeld in het beleid"]
    assert n1.action.model_dump() == {"item": "N1", "what": "Organisatie regelt N1",
                                      "owner": "HR", "due": dt.date(2026, 6, 1),
                                      "overdue": False,
                                      "origin": "organisatie"}


def test_team_action_preferred_over_organisation_action(policy_factory, team_form, team_forms):
    policy = policy_factory(not_arranged=("N1",))
    rows = [action_row("RI&E aanvullen", "N1", "Teamleider", dt.date(2026, 5, 1)),
            action_row("Later nog eens", "N1", "Teamleider", dt.date(2026, 9, 1))]
    annex = run(policy, team_forms(team_form(acties=rows)))
    action = item(annex, "N1").action
    assert (action.what, action.owner, action.due, action.origin) == (
        "RI&E aanvullen", "Teamleider", dt.date(2026, 5, 1), "team")
    # The team's second row is not lost: it is in the actions table too.
    assert [a.what for a in annex.actions if a.item == "N1"] == ["RI&E aanvullen",
                                                                 "Later nog eens"]


def test_gap_without_any_action_is_still_to_be_decided(policy, team_form, team_forms):
    k4 = item(run(policy, team_forms(team_form())), "K4")
    assert k4.status is ONT
    assert k4.action.origin == "open"
    assert k4.action.what == "Afspraak maken over: Competenties bij de werkverdeling"
    assert k4.action.owner == "L. Eiding"  # the team lead owns the team's plan (Werkwijzer)
    assert k4.action.due is None


def test_no_action_for_arranged_items(policy, form, team_forms):
    annex = run(policy, team_forms(*(form(k, fill=True) for k in FORMS)))
    assert [i.id for i in annex.items if i.status is not GER] == []
    assert all(i.action is None and missing_texts(i) == [] for i in annex.items)


# --- inherit, extend, locked count as filled; missing forms do not ----------------------------

def test_inherit_and_extend_are_filled_and_source_says_who(policy, team_form, team_forms):
    empty = item(run(policy, team_forms(team_form())), "N2")
    own = item(run(policy, team_forms(team_form(melden="Eigen meldroute."))), "N2")
    assert empty.status is own.status is GER
    [org_src, field_src] = empty.sources
    assert field_src.origin is Origin.ORGANISATION  # the organisation default applies
    assert own.sources[1].origin is Origin.TEAM  # the team overrode it
    v2 = item(run(policy, team_forms(team_form(visie_team="Wij bespreken de visie."))), "V2")
    assert v2.sources[1].merge is Merge.EXTEND
    assert v2.sources[1].origin is Origin.TEAM


def test_missing_contact_form_counts_as_not_filled(policy, team_form, team_forms):
    annex = run(policy, team_forms(team_form(contact_balie=True, contact_digitaal=True,
                                             norm_voorbeelden="Schelden aan de balie.")))
    o4 = item(annex, "O4")
    assert o4.status is DLS  # the policy covers every location; the team's part is open
    assert missing_texts(o4) == ["teamformulier: Huisregels op de eigen locatie van het team "
                          "(niet beantwoord)", "bijlage balie en spreekkamer ontbreekt"]
    # N4: organisation arranged, team example given, but the digital form's inherit field
    # (phone calls) is missing with its form.
    n4 = item(annex, "N4")
    assert n4.status is DLS
    assert missing_texts(n4) == ["bijlage telefoon, e-mail, post en sociale media ontbreekt"]
    assert item(annex, "N7").status is DLS


def test_only_forms_of_the_teams_contact_kinds_count(policy, team_form, form, team_forms):
    # No home visits: the empty huisbezoek fields must not drag N7 down.
    annex = run(policy, team_forms(team_form(), form("balie", fill=True)))
    n7 = item(annex, "N7")
    assert n7.status is GER
    assert {s.form for s in n7.sources if s.form} == {"balie"}


# --- team-only items --------------------------------------------------------------------------

def test_k4_team_only(policy, team_form, team_forms):
    assert item(run(policy, team_forms(team_form())), "K4").status is ONT
    k4 = item(run(policy, team_forms(team_form(competenties="Ervaren collega's bij bezwaar."))),
              "K4")
    assert k4.status is GER
    assert [(s.origin, s.tag) for s in k4.sources] == [(Origin.TEAM, "team.competenties")]


@pytest.mark.parametrize(("dilemmas", "intervisie", "expected"), [
    ("Wanneer stoppen we een gesprek?", "maandelijks", GER),
    ("Wanneer stoppen we een gesprek?", "niet", DLS),
    (None, "maandelijks", DLS),
    (None, None, ONT),
    (None, "niet", ONT),
])
def test_l1_team_only(policy, team_form, team_forms, dilemmas, intervisie, expected):
    l1 = item(run(policy, team_forms(team_form(dilemmas=dilemmas, intervisie=intervisie))),
              "L1")
    assert l1.status is expected
    assert all(s.origin is Origin.TEAM for s in l1.sources)
    if intervisie == "niet":
        assert ("teamformulier: Hoe vaak het team intervisie houdt (beantwoord met ‘niet’)"
                in missing_texts(l1))


# --- scores, topics, actions table ------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(kinds=st.sets(st.sampled_from(list(CONTACT_KINDS))),
       present=st.sets(st.sampled_from(list(CONTACT_KINDS))))
def test_chapter_scores_add_up_to_thirty(policy, team_form, form, team_forms, kinds, present):
    ticks = {f"contact_{k}": True for k in kinds}
    annex = run(policy, team_forms(team_form(**ticks), *(form(k) for k in present)))
    assert len(annex.items) == 30
    assert sum(sum(c.counts.values()) for c in annex.chapters) == 30
    for chapter in annex.chapters:
        assert sum(chapter.counts.values()) == sum(1 for i in CHECKLIST
                                                   if i.chapter == chapter.chapter)
        assert chapter.title == CHAPTERS[chapter.chapter]
        assert chapter.counts == {s: sum(1 for i in annex.items if i.chapter == chapter.chapter
                                         and i.status is s) for s in Status}


def test_chapter_score_line(policy, team_form, team_forms):
    annex = run(policy, team_forms(team_form()))
    # Chapter 3 of a team without counter or home visits: O1, O3 arranged by the organisation;
    # O4 and O5 hold for every team and wait for the team's answers; O2 is n.v.t.
    assert annex.chapters[2].line() == "2 van 4 geregeld, 2 deels, 1 n.v.t."


@pytest.mark.parametrize(("statuses", "expected"), [
    ([GER], GER), ([NVT, NVT], NVT), ([GER, NVT], GER), ([ONT, ONT], ONT), ([ONT, NVT], ONT),
    ([GER, ONT], DLS), ([DLS], DLS), ([GER, DLS, NVT], DLS),
])
def test_combine(statuses, expected):
    assert combine(statuses) is expected


def test_topics(policy_factory, team_form, form, team_forms):
    policy = policy_factory(not_arranged=("N6", "N9"))
    annex = run(policy, team_forms(team_form(), form("balie")))
    assert [t.title for t in annex.topics] == [t for t, _ in INSPECTION_TOPICS]
    topics = {t.title: t for t in annex.topics}
    assert topics["Huisregels"].items == ["O1", "O3", "O4"]
    # O1, O3 arranged by the organisation (extend field applies), O4 needs the ticked box.
    assert topics["Huisregels"].status is DLS
    # N6: organisation not arranged, the counter form's layout and camera questions empty.
    assert topics["Bouwkundige en technische voorzieningen"].status is ONT
    # N9: not arranged by the organisation, but its locked sanction policy text applies.
    assert topics["Dadergerichte aanpak"].status is DLS
    assert topics["Agressieprotocol"].status is DLS  # norm examples left empty
    assert topics["Melden, registreren en analyseren"].status is GER
    no_place = team_form(huisregels_locatie="geen eigen locatie")
    no_counter = {t.title: t for t in run(policy, team_forms(no_place)).topics}
    assert no_counter["Huisregels"].status is GER  # no own location: the policy covers O4


def test_actions_table_sorted_by_due_date_without_duplicates(policy_factory, team_form,
                                                             team_forms):
    policy = policy_factory(not_arranged=("N9",))  # organisation action due 1 June 2026
    rows = [action_row("Zonder datum", "K4"),
            action_row("Training plannen", "N3", "Opleidingen", dt.date(2026, 4, 1)),
            action_row("Visie bespreken", "V2", "Teamleider", dt.date(2026, 1, 15)),
            action_row("Los punt", None, "Teamleider", dt.date(2026, 2, 1)),
            action_row("", None)]  # an empty row left in the form's table
    annex = run(policy, team_forms(team_form(acties=rows)))
    planned = [a.what for a in annex.actions if a.origin != "open"]
    assert planned == ["Visie bespreken", "Los punt", "Training plannen",
                       "Organisatie regelt N9", "Zonder datum"]
    assert item(annex, "K4").action.what == "Zonder datum"  # the team row, not an open action
    whats = [a.what for a in annex.actions]
    keys = [(a.item, a.what) for a in annex.actions]
    assert len(keys) == len(set(keys))
    dues = [a.due for a in annex.actions if a.due]
    assert dues == sorted(dues)
    assert [a.due for a in annex.actions[len(dues):]] == [None] * (len(whats) - len(dues))
    # V2 is arranged, but the team plans an action for it: at most deels, with that action.
    assert item(annex, "V2").status is DLS
    assert item(annex, "V2").action.what == "Visie bespreken"
    gaps = [i for i in annex.items if i.status in (DLS, ONT)]
    assert all(i.action in annex.actions for i in gaps)


# --- monotone: filling more never lowers a status -----------------------------------------------

TEAM_FIELDS = [f.tag for spec in FORMS.values() for f in spec.fields
               if f.merge is Merge.TEAM and f.checklist]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_filling_more_never_lowers_a_status(policy, form, team_forms, filled, data):
    fields = data.draw(st.sets(st.sampled_from(TEAM_FIELDS)))
    more = fields | data.draw(st.sets(st.sampled_from(TEAM_FIELDS)))
    present = data.draw(st.sets(st.sampled_from(list(CONTACT_KINDS))))
    present_more = present | data.draw(st.sets(st.sampled_from(list(CONTACT_KINDS))))
    ticks = {f"contact_{k}": True for k in CONTACT_KINDS}

    def annex(tags: set[str], kinds: set[str]) -> Annex:
        forms = [form(k, **{t.split(".", 1)[1]: filled(t) for t in tags
                            if FIELDS_BY_TAG[t].tag.startswith(k + ".")}) for k in kinds]
        team = form("team", **ticks, **{t.split(".", 1)[1]: filled(t) for t in tags
                                        if t.startswith("team.")})
        return run(policy, team_forms(team, *forms))

    before, after = annex(fields, present), annex(more, present_more)
    for a, b in zip(before.items, after.items, strict=True):
        assert (a.status is NVT) == (b.status is NVT)
        if a.status is not NVT:
            assert RANK[b.status] >= RANK[a.status], (a.id, a.status, b.status)


def test_assemble_adds_the_annex(policy, team_form, form, team_forms):
    forms = team_forms(team_form(contact_balie=True), form("digitaal"))
    protocol = assemble(policy, forms)
    assert [i.id for i in protocol.annex.items] == [i.id for i in CHECKLIST]
    # A protocol without its annex cannot be made: merge's result is a MergedProtocol.
    with pytest.raises(ValidationError, match="annex"):
        Protocol(**dict(merge(policy, forms)))
    assert protocol.meta.contact_kinds == ["balie", "digitaal"]
    assert item(protocol.annex, "O4").status is DLS


def test_policy_answer_for_a_team_only_item_is_used(policy_factory, team_form, team_forms):
    # A policy may also answer an item that is not in POLICY_CHECKLIST (e.g. K4).
    policy = policy_factory(K4=ChecklistAnswer(arranged=True, document="Werkverdeling 2025"))
    k4 = item(run(policy, team_forms(team_form())), "K4")
    assert k4.status is DLS
    assert k4.sources[0].label == "Werkverdeling 2025"


def test_an_empty_optional_appendix_question_does_not_make_an_arranged_item_partial(
        policy, team_form, form, team_forms, filled):
    """N7: the counter's alarm is arranged; the meetings appendix's optional alarm question
    left empty asks nothing more of the team (issue 22). A required question left empty, an
    optional statement answered 'nee' or a missing appendix still make it deels."""
    ticks = {"contact_balie": True, "contact_bijeenkomsten": True}
    balie = form("balie", fill=True)
    meetings = form("bijeenkomsten", fill=True, alarm="")
    annex = run(policy, team_forms(team_form(**ticks), balie, meetings))
    assert item(annex, "N7").status is GER
    assert not [m for m in item(annex, "N7").missing if m.form == "bijeenkomsten"]
    # A required question of the same item left empty: deels, naming it.
    open_counter = form("balie", fill=True, alarmopvolging="")
    n7 = item(run(policy, team_forms(team_form(**ticks), open_counter, meetings)), "N7")
    assert n7.status is DLS
    assert "Wie op een alarm afkomt en hoe snel" in " ".join(missing_texts(n7))
    # An optional statement answered 'nee' is an answer, not a question left open.
    no_button = form("balie", fill=True, alarmknop="nee")
    assert item(run(policy, team_forms(team_form(**ticks), no_button, meetings)),
                "N7").status is DLS
    # The meetings appendix missing altogether: its questions are open, optional ones too.
    missing = item(run(policy, team_forms(team_form(**ticks), balie)), "N7")
    assert missing.status is DLS
    assert any(m.form == "bijeenkomsten" for m in missing.missing)


def test_the_dadergerichte_aanpak_rests_on_the_incidentgesprek(policy, team_form, form,
                                                               team_forms):
    """N9 follows the Werkwijzer: the approach to the offender starts with the incidentgesprek
    (the sanction ladder's first step), so the team's answer on it feeds N9 as it feeds L3;
    watching social media for doxing is an organisational measure (N5). Which meetings a team
    holds is no risk inventory (N1); their risk is (issue 22)."""
    ticks = {"contact_digitaal": True, "contact_bijeenkomsten": True}
    digital = form("digitaal", fill=True, sociale_media="")
    meetings = form("bijeenkomsten", fill=True, soorten="")
    without = run(policy, team_forms(team_form(**ticks, incidentgesprek=""), digital, meetings))
    n9 = item(without, "N9")
    assert n9.status is DLS
    assert "Het incidentgesprek met de burger" in " ".join(missing_texts(n9))
    assert "doxing" not in " ".join(missing_texts(n9)).lower()
    assert "Sociale media" in " ".join(missing_texts(item(without, "N5")))
    assert "Soorten bijeenkomsten" not in " ".join(missing_texts(item(without, "N1")))
    talk = "De teamleider nodigt de burger binnen vijf werkdagen uit voor een incidentgesprek."
    with_talk = run(policy, team_forms(team_form(**ticks, incidentgesprek=talk),
                                       form("digitaal", fill=True), meetings))
    assert item(with_talk, "N9").status is GER
    assert {s.tag for s in item(with_talk, "N9").given} >= {"team.incidentgesprek"}
