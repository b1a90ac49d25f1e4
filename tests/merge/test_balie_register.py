"""The counter appendix shows escape routes, compartments and the register check under their
noun headings, in their place, and the annex counts them for the right checklist items (N6;
O5 and N9); a counter form made before the questions leaves a visible gap that does not
make an arranged item deels (issue 22, item 4)."""

from __future__ import annotations

import datetime as dt

from helpers.assess import missing_texts

from pipeline.assess import assess
from pipeline.merge import contact_kinds, merge
from pipeline.models import Origin, Status

TODAY = dt.date(2026, 3, 3)
ROUTES = "Achter elke balie is een deur naar de kantoorgang; de teamleider houdt die vrij."
SHUT = "De kantoorgang achter de balies gaat alleen open met een personeelspas."
REGISTER = ("Wie een afspraak maakt, kijkt eerst in het register van toegangsverboden; de "
            "gastvrouw doet dat bij de ingang.")
NEW = ("balie.toegangsverbod", "balie.vluchtwegen", "balie.compartimentering")


def _forms(team_form, form, team_forms, **balie):
    return team_forms(team_form(contact_balie=True), form("balie", fill=True, **balie))


def test_the_counter_appendix_shows_the_answers_under_noun_headings_in_place(
        policy, team_form, form, team_forms):
    forms = _forms(team_form, form, team_forms, vluchtwegen=ROUTES, compartimentering=SHUT,
                   toegangsverbod=REGISTER)
    [appendix] = merge(policy, forms).appendices
    tags = [b.source.tag for b in appendix.blocks]
    assert tags.index("balie.toegangsverbod") == tags.index("balie.ordebewaking") + 1
    assert tags[tags.index("balie.spreekkamer") + 1:tags.index("balie.spreekkamer") + 3] == [
        "balie.vluchtwegen", "balie.compartimentering"]
    by_tag = {b.source.tag: b for b in appendix.blocks}
    assert (by_tag["balie.vluchtwegen"].title, by_tag["balie.vluchtwegen"].paragraphs) == (
        "Vluchtwegen", [ROUTES])
    assert (by_tag["balie.compartimentering"].title,
            by_tag["balie.compartimentering"].paragraphs) == (
        "Scheiding van publieks- en kantoorruimte", [SHUT])
    assert (by_tag["balie.toegangsverbod"].title, by_tag["balie.toegangsverbod"].paragraphs) == (
        "Controle op toegangsverboden", [REGISTER])
    for tag in NEW:
        assert by_tag[tag].source.origin is Origin.TEAM
        assert not by_tag[tag].gap


def test_the_annex_counts_them_for_n6_o5_and_n9(policy, team_form, form, team_forms):
    forms = _forms(team_form, form, team_forms, vluchtwegen=ROUTES, compartimentering=SHUT,
                   toegangsverbod=REGISTER)
    annex = assess(policy, forms, contact_kinds(forms), today=TODAY)
    given = {i.id: {s.tag for s in i.given} for i in annex.items}
    assert {"balie.vluchtwegen", "balie.compartimentering"} <= given["N6"]
    assert "balie.toegangsverbod" in given["O5"]
    assert "balie.toegangsverbod" in given["N9"]
    for id_, tags in given.items():
        if id_ not in ("N6", "O5", "N9"):
            assert not tags & set(NEW), id_


def test_a_form_without_them_shows_gaps_and_keeps_its_statuses(policy, team_form, form,
                                                               team_forms):
    """A counter form made before 0.4 reads these answers as None: the appendix marks each
    question as still open, pointing to its items; being optional, they leave N6 and O5 as
    the rest of the form makes them."""
    before = _forms(team_form, form, team_forms, vluchtwegen=None, compartimentering=None,
                    toegangsverbod=None)
    [appendix] = merge(policy, before).appendices
    by_tag = {b.source.tag: b for b in appendix.blocks}
    assert by_tag["balie.vluchtwegen"].gap
    assert by_tag["balie.vluchtwegen"].gap_note == "Nog niet ingevuld; zie onderdeel N6 in " \
                                                   "hoofdstuk 7."
    assert by_tag["balie.toegangsverbod"].gap_note == "Nog niet ingevuld; zie onderdelen O5, " \
                                                      "N9 in hoofdstuk 7."
    filled = _forms(team_form, form, team_forms)
    old = {i.id: i for i in assess(policy, before, contact_kinds(before), today=TODAY).items}
    new = {i.id: i for i in assess(policy, filled, contact_kinds(filled), today=TODAY).items}
    for id_ in ("N6", "O5"):
        assert old[id_].status is new[id_].status
        assert not [t for t in missing_texts(old[id_]) if "toegangsverboden" in t
                    or "Vluchtwegen" in t or "kantoorruimte" in t]
    # An answer that arranges nothing is no arrangement: N6 is open, naming the question.
    nothing = _forms(team_form, form, team_forms, vluchtwegen="n.v.t.")
    n6 = next(i for i in assess(policy, nothing, contact_kinds(nothing), today=TODAY).items
              if i.id == "N6")
    assert n6.status is Status.DEELS
    assert "Vluchtwegen voor medewerkers" in " ".join(missing_texts(n6))
