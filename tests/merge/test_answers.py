"""The one answer rule (pipeline/answers.py) and what follows from it in the annex and check."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.assess import missing_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.assess import RANK, assess, open_items
from pipeline.catalogue import CHECKLIST, CONTACT_KINDS, FIELDS_BY_TAG, FORMS, TEAM_KIND, Merge
from pipeline.merge import contact_kinds, merge
from pipeline.models import Annex, Status

TODAY = dt.date(2026, 3, 3)
TEXT = FIELDS_BY_TAG["team.competenties"]
GER, DLS, ONT, NVT = Status.GEREGELD, Status.DEELS, Status.ONTBREEKT, Status.NVT

NOTHING = ["n.v.t.", "N.V.T.", "nvt", "n.v.t., we hebben geen balie", "-", "–", "?", "...",
           "geen", "Geen.", "niemand", "Niemand.", "Nog niet geregeld.", "nog niet",
           "Nog niet geregeld: het loket heeft geen knop.", "Dat doen we niet.", "weet niet",
           "Weet ik niet", "x", "n.t.b.", "NTB", "nog te bepalen", "Niet van toepassing",
           "Nader te bepalen.", "  geen  ", "Nee."]
GIVEN = ["Geen losse voorwerpen in de spreekkamer.", "De teamleider voert het gesprek.",
         "Niemand werkt alleen aan de balie.", "Nooit alleen op huisbezoek.",
         "Nvt-lijst bijhouden"]


@pytest.mark.parametrize("text", NOTHING)
def test_answers_that_arrange_nothing(text):
    verdict = answers.verdict(TEXT, text)
    assert verdict.state is AnswerState.NOTHING
    assert verdict.reason  # says why, in Dutch


def test_none_is_an_answer_where_the_question_asks_for_it():
    derden = FIELDS_BY_TAG["team.derden"]
    assert answers.state(derden, "Er werken geen derden met het team.") is AnswerState.GIVEN
    assert answers.state(TEXT, "Er werken geen derden met het team.") is AnswerState.NOTHING


@pytest.mark.parametrize("text", GIVEN)
def test_answers_that_arrange_something(text):
    assert answers.state(TEXT, text) is AnswerState.GIVEN


@pytest.mark.parametrize("text", ["", "   ", "\n", None])
def test_empty_answers(text):
    assert answers.state(TEXT, text) is AnswerState.EMPTY


def test_case_and_punctuation_do_not_change_a_verdict():
    for phrase in NOTHING:
        for variant in (phrase, phrase.upper() + ".", f"{phrase.capitalize()}!"):
            assert answers.state(TEXT, variant) is AnswerState.NOTHING, variant


def test_statements_and_frequencies():
    camera, freq = FIELDS_BY_TAG["balie.camera"], FIELDS_BY_TAG["team.intervisie"]
    assert [answers.state(camera, v) for v in ("ja", "nee", "deels", "weet ik niet", None)] == [
        AnswerState.GIVEN, AnswerState.NOTHING, AnswerState.PARTIAL, AnswerState.NOTHING,
        AnswerState.EMPTY]
    assert answers.state(freq, "niet") is AnswerState.NOTHING
    assert answers.state(freq, "per kwartaal") is AnswerState.GIVEN
    assert camera.is_statement


def test_rows_of_nothing_are_nothing():
    rows = FIELDS_BY_TAG["balie.locaties"]
    assert answers.state(rows, []) is AnswerState.EMPTY
    assert answers.state(rows, [{"naam": None, "adres": "", "openingstijden": None}]) is \
        AnswerState.EMPTY
    assert answers.state(rows, [{"naam": "n.v.t.", "adres": "-", "openingstijden": None}]) is \
        AnswerState.NOTHING
    assert answers.state(rows, [{"naam": "Stadhuis", "adres": None, "openingstijden": None}]) \
        is AnswerState.GIVEN


def run(policy, forms) -> Annex:
    return assess(policy, forms, contact_kinds(forms), today=TODAY)


def item(annex: Annex, id_: str):
    return next(i for i in annex.items if i.id == id_)


# --- the cases ----------------------------------------------------------------------

@pytest.mark.parametrize(("field", "item_id"), [
    ("competenties", "K4"), ("dilemmas", "L1"), ("opvolging", "B3"), ("incidentgesprek", "L3")])
@pytest.mark.parametrize("text", ["n.v.t.", "-", "geen", "Niemand.", "Nog niet geregeld.",
                                  "Dat doen we niet."])
def test_arranges_nothing_is_never_geregeld(policy, team_form, team_forms, field, item_id,
                                            text):
    annex = run(policy, team_forms(team_form(**{field: text})))
    assessed = item(annex, item_id)
    assert assessed.status is not GER
    field = FIELDS_BY_TAG[f"team.{field}"]
    reason = answers.verdict(field, text).reason
    assert f"teamformulier: {field.label} ({reason})" in missing_texts(assessed)


def test_unticked_is_not_nee_and_nee_is_a_marked_conflict(policy, team_form, form, team_forms):
    forms = team_forms(team_form(contact_balie=True), form("balie", fill=True, alarmknop=None))
    unanswered = item(run(policy, forms), "N7")
    assert unanswered.status is DLS
    assert unanswered.conflicts == []
    assert "bijlage balie en spreekkamer: Elke balie en spreekkamer heeft een alarmknop " \
           "(niet beantwoord)" in missing_texts(unanswered)
    nee = item(run(policy, team_forms(team_form(contact_balie=True),
                                      form("balie", fill=True, alarmknop="nee"))), "N7")
    assert nee.status is DLS
    assert nee.conflicts
    assert "beleid zegt dat dit geregeld is" in nee.conflicts[0]
    protocol = merge(policy, forms)
    text = protocol.model_dump_json()
    assert "Nee (niet aangevinkt)" not in text
    assert ("Het team heeft nog niet ingevuld of dit klopt: elke balie en spreekkamer heeft "
            "een alarmknop; zie onderdeel") in text
    assert ": niet beantwoord" not in text


def test_own_open_action_caps_the_item_at_deels(policy, form, team_forms):
    rows = [{"wat": "Tweede uitgang spreekkamer 3", "onderdeel": "N6", "eigenaar": "FZ",
             "datum": dt.date(2026, 6, 1)}]
    team = form("team", fill=True, acties=rows, **{f"contact_{k}": True for k in CONTACT_KINDS})
    forms = team_forms(team, *(form(k, fill=True) for k in CONTACT_KINDS))
    n6 = item(run(policy, forms), "N6")
    assert n6.status is DLS
    assert n6.action.what == "Tweede uitgang spreekkamer 3"
    assert "openstaande actie van het team: Tweede uitgang spreekkamer 3" in missing_texts(n6)


def test_o4_and_o5_apply_to_every_team(policy, team_form, team_forms):
    annex = run(policy, team_forms(team_form()))
    assert item(annex, "O4").status is DLS
    assert item(annex, "O5").status is DLS
    done = run(policy, team_forms(team_form(huisregels_locatie="geen eigen locatie",
                                            orde="De medewerker spreekt de burger aan.")))
    assert item(done, "O4").status is item(done, "O5").status is GER


def test_evaluation_dates_must_make_sense(policy, form, team_forms):
    ticks = {f"contact_{k}": True for k in CONTACT_KINDS}
    others = [form(k, fill=True) for k in CONTACT_KINDS]

    def b1(**dates):
        team = form("team", fill=True, **ticks, **dates)
        return item(run(policy, team_forms(team, *others)), "B1")

    assert b1().status is GER
    past = b1(vastgesteld_op=None, volgende_evaluatie=dt.date(2021, 1, 1))
    assert past.status is DLS
    assert "Volgende evaluatie (de datum ligt in het verleden)" in " ".join(missing_texts(past))
    before = b1(vastgesteld_op=dt.date(2026, 3, 1), volgende_evaluatie=dt.date(2026, 3, 1))
    assert "ligt niet na de vaststelling" in " ".join(missing_texts(before))
    future_meeting = b1(teamoverleg=dt.date(2027, 1, 1))
    assert "ligt in de toekomst" in " ".join(missing_texts(future_meeting))


def test_the_organisation_frame_stays_when_the_team_adds(policy, team_form, team_forms):
    forms = team_forms(team_form(opvang="Een opvangmaatje belt dezelfde dag."))
    chapter4 = merge(policy, forms).chapters[3]
    texts = [p for b in chapter4.team for p in b.paragraphs]
    assert policy.text("nazorg") in texts
    assert "Een opvangmaatje belt dezelfde dag." in texts
    assert texts.index(policy.text("nazorg")) < texts.index("Een opvangmaatje belt dezelfde dag.")


def test_every_organisation_text_is_in_the_protocol_whatever_the_team_wrote(policy, form,
                                                                            team_forms):
    forms = team_forms(*(form(k, fill=True) for k in FORMS))
    text = merge(policy, forms).model_dump_json()
    for spec in FORMS.values():
        for field in spec.fields:
            if field.merge is not Merge.TEAM and field.policy_text is not None:
                assert policy.text(field.policy_text).split("\n")[0] in text, field.tag


# --- check and the annex agree --------------------------------------------------------------

def assert_check_agrees_with_annex(policy, forms) -> None:
    """What the annex leaves open = the policy's gaps + missing forms + every form's open items."""
    kinds = contact_kinds(forms)
    annex = run(policy, forms)
    from_forms = {i for kind in (TEAM_KIND, *kinds) if kind in forms.forms
                  for i, _ in open_items(forms.forms[kind], today=TODAY)}
    missing_forms = {i.id for i in CHECKLIST for kind in kinds if kind not in forms.forms
                     for f in FORMS[kind].fields if i.id in f.checklist}
    policy_gaps = {i for i, a in policy.checklist.items() if not a.arranged}
    applicable = {i.id for i in annex.items if i.status is not NVT}
    open_in_annex = {i.id for i in annex.items if i.status in (DLS, ONT, Status.TE_BEOORDELEN)}
    assert open_in_annex == (from_forms | missing_forms | policy_gaps) & applicable


def test_check_and_annex_agree_on_the_example_teams(policy):
    from pipeline.examples import example_teams
    from pipeline.models import FormData, TeamForms

    for identity, by_kind in example_teams():
        forms = {}
        for kind in (TEAM_KIND, *identity.contact_kinds):
            fields = {f.tag: None for f in FORMS[kind].fields if f.merge is not Merge.LOCKED}
            fields.update(by_kind.get(kind, {}))
            if kind == TEAM_KIND:
                fields.update({"team.team": identity.team, "team.leidinggevende":
                               identity.team_lead, **{f"team.contact_{k}": k in
                                                           identity.contact_kinds
                                                           for k in CONTACT_KINDS}})
            forms[kind] = FormData(path=f"{identity.team_id}/{kind}.docx", kind=kind,
                                   team_id=identity.team_id, schema_version="2", fields=fields)
        assert_check_agrees_with_annex(policy, TeamForms(team_id=identity.team_id, forms=forms))


TEAM_FIELDS = [f.tag for spec in FORMS.values() for f in spec.fields
               if f.merge is Merge.TEAM and f.checklist]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_check_and_annex_agree_on_generated_teams(policy_factory, form, team_forms, filled,
                                                  data):
    policy = policy_factory(not_arranged=tuple(data.draw(st.sets(st.sampled_from(
        ["V2", "N6", "N9", "B4"])))))
    tags = data.draw(st.sets(st.sampled_from(TEAM_FIELDS)))
    nothing = data.draw(st.sets(st.sampled_from(sorted(tags)))) if tags else set()
    kinds = data.draw(st.sets(st.sampled_from(list(CONTACT_KINDS))))
    present = data.draw(st.sets(st.sampled_from(sorted(kinds)))) if kinds else set()

    def value(tag):
        field = FIELDS_BY_TAG[tag]
        if tag in nothing and field.type.value in ("text", "multiline"):
            return "n.v.t."
        if tag in nothing and field.is_statement:
            return "nee"
        return filled(tag)

    def answers_of(kind):
        return {t.split(".", 1)[1]: value(t) for t in tags if t.startswith(kind + ".")}

    team = form("team", **{f"contact_{k}": True for k in kinds}, **answers_of("team"))
    forms = team_forms(team, *(form(k, **answers_of(k)) for k in present))
    assert_check_agrees_with_annex(policy, forms)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_an_answer_that_arranges_nothing_never_raises_a_status(policy, form, team_forms, data):
    texts = [t for t in TEAM_FIELDS if FIELDS_BY_TAG[t].type.value in ("text", "multiline")]
    chosen = data.draw(st.sets(st.sampled_from(texts), min_size=1))
    phrase = data.draw(st.sampled_from(NOTHING))
    ticks = {f"contact_{k}": True for k in CONTACT_KINDS}

    def annex(with_nothing: bool) -> Annex:
        def of(kind):
            return {t.split(".", 1)[1]: phrase for t in chosen
                    if with_nothing and t.startswith(kind + ".")}
        team = form("team", **ticks, **of("team"))
        return run(policy, team_forms(team, *(form(k, **of(k)) for k in CONTACT_KINDS)))

    for a, b in zip(annex(False).items, annex(True).items, strict=True):
        assert RANK.get(b.status, 0) <= RANK.get(a.status, 0) or a.status is NVT, a.id


def test_every_item_has_sources_and_its_reasoning_names_them():
    from pipeline.catalogue import MAPPING_REASONS, POLICY_CHECKLIST

    assert set(MAPPING_REASONS) == {i.id for i in CHECKLIST}
    for item in CHECKLIST:
        tags = [f.tag for spec in FORMS.values() for f in spec.fields if item.id in f.checklist]
        assert tags or item.id in POLICY_CHECKLIST, item.id
        reason = MAPPING_REASONS[item.id]
        for tag in tags:
            kind, name = tag.split(".", 1)
            assert tag in reason or f".{name}" in reason or "locked" in reason, (item.id, tag)
        assert ("policy" in reason) == (item.id in POLICY_CHECKLIST), item.id
