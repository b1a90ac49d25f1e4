"""The counter form's questions on escape routes, compartments and the register of building
bans (issue 22, item 4): written and read back, and a counter form made before them (0.3)
still reads, as the team form made before the evaluation questions does."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.catalogue import FIELDS_BY_TAG, FORMS
from pipeline.forms.read import read_form

OLD_FORM = Path(__file__).resolve().parents[1] / "data" / "werk-en-inkomen-balie-by-0.3.docx"
NEW = ("balie.vluchtwegen", "balie.compartimentering", "balie.toegangsverbod")
ANSWERS = {
    "balie.vluchtwegen": "Achter elke balie is een deur naar de kantoorgang.\n"
                         "De teamleider kijkt elke week of de gang vrij is.",
    "balie.compartimentering": "De kantoorgang gaat alleen open met een personeelspas.",
    "balie.toegangsverbod": "Wie een afspraak maakt, kijkt eerst in het register van "
                            "toegangsverboden; de gastvrouw doet dat bij de ingang.",
}


def test_the_new_questions_are_on_the_counter_form_only_and_added_in_0_4():
    balie = [f.tag for f in FORMS["balie"].fields]
    assert set(NEW) <= set(balie)
    # Keeping order and the register in chapter 3, the building in chapter 4.
    chapter = {f.tag: s.chapter for s in FORMS["balie"].sections for f in s.fields}
    assert chapter == {**chapter, "balie.toegangsverbod": 3, "balie.vluchtwegen": 4,
                       "balie.compartimentering": 4}
    assert balie.index("balie.toegangsverbod") == balie.index("balie.ordebewaking") + 1
    assert balie.index("balie.vluchtwegen") == balie.index("balie.spreekkamer") + 1
    for tag in NEW:
        field = FIELDS_BY_TAG[tag]
        assert field.added_in == "0.4"
        assert not field.required  # a form without the box is no error
        assert field.heading
        assert field.heading != field.label
    assert FIELDS_BY_TAG["balie.vluchtwegen"].checklist == ("N6",)
    assert FIELDS_BY_TAG["balie.compartimentering"].checklist == ("N6",)
    assert FIELDS_BY_TAG["balie.toegangsverbod"].checklist == ("O5", "N9")


def test_a_counter_form_with_the_new_answers_reads_back(make_form):
    data = read_form(make_form("balie", ANSWERS))
    assert data.errors == []
    assert not [w for w in data.warnings if w.tag in NEW]
    assert {tag: data.fields[tag] for tag in NEW} == ANSWERS


def test_a_counter_form_made_before_the_questions_reads_without_problems(tmp_path):
    folder = tmp_path / "werk-en-inkomen"
    folder.mkdir()
    form = read_form(Path(shutil.copy(OLD_FORM, folder / "balie.docx")))
    assert form.errors == []
    for tag in NEW:
        assert form.fields.get(tag) is None
    labels = {FIELDS_BY_TAG[tag].label for tag in NEW}
    assert not [p for p in form.errors + form.warnings if p.field in labels or p.tag in NEW]
    # The questions it always had still read.
    assert form.fields["balie.alarmtest"] == "per kwartaal"
    assert form.fields["balie.ordebewaking"]
