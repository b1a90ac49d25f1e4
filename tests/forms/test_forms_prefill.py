"""`teamprotocol forms --from`: next cycle's forms prefilled from last cycle's, and migration.

Real forms are written, read back with `teamprotocol check --json` (a real subprocess), and
compared answer by answer with last cycle's. The migration test builds a synthetic form of an
older schema from a real one (tags renamed, one split, a drop-down that was a checkbox, a
question that did not exist yet) and reads it through a migration step of the same shape as
the catalogue's table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import (
    FORMS,
    SCHEMA_MIGRATIONS,
    SCHEMA_VERSION,
    TEAM_KIND,
    FieldType,
    Merge,
    Migration,
    migration_path,
)
from pipeline.cli import cli
from pipeline.errors import FormError
from pipeline.examples import example_teams, write_example_forms
from pipeline.forms import migrate, prefill
from pipeline.forms.common import PROP_KIND, PROP_SCHEMA, PROP_TEAM
from pipeline.forms.write import locked_texts_of, write_form, write_team_forms
from pipeline.policy import load_policy
from pipeline.text import next_minor

EXE = Path(sys.executable).with_name("teamprotocol")
RESET = {"team.status", "team.versie", "team.vastgesteld_door", "team.vastgesteld_op",
         "team.inventarisatie", "team.teamoverleg", "team.volgende_evaluatie"}
qn = ooxml.qn


def _check_json(path: Path) -> dict:
    """`teamprotocol check --json FORM` in-process (a subprocess per form took ~1.5 s each)."""
    result = CliRunner().invoke(cli, ["check", "--json", str(path)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def _teams_csv(path: Path, identities) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["team_id", "team", "afdeling", "leidinggevende", "contactvormen"])
    for i in identities:
        w.writerow([i.team_id, i.team, i.department, i.team_lead, ";".join(i.contact_kinds)])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """The example forms as last cycle; this cycle's CSV drops one team and adds one."""
    root = tmp_path_factory.mktemp("ronde")
    last = root / "vorig"
    write_example_forms(last)
    identities = [i for i, _ in example_teams()]
    kept, gone = identities[:-1], identities[-1]
    new = kept[0].model_copy(update={"team_id": "nieuw-team", "team": "Nieuw team"})
    csv_path = _teams_csv(root / "teams.csv", [*kept, new])
    out = root / "nu"
    result = CliRunner().invoke(cli, ["forms", str(csv_path), "--out", str(out),
                                      "--from", str(last)])
    return result, last, out, kept, gone, new


@pytest.mark.slow
def test_prefilled_answers_equal_last_cycles_except_status_adoption_and_version(cycle):
    result, last, out, kept, _, _ = cycle
    assert result.exit_code == 0, result.output
    for identity in kept:
        for old_form in sorted((last / identity.team_id).glob("*.docx")):
            before = _check_json(old_form)
            after = _check_json(out / identity.team_id / old_form.name)
            assert after["errors"] == []
            differ = {t for t in before["fields"] if before["fields"][t] != after["fields"][t]}
            if old_form.stem == TEAM_KIND:
                assert differ <= RESET, (identity.team_id, differ - RESET)
                assert after["fields"]["team.status"] == "concept"
                assert after["fields"]["team.vastgesteld_door"] is None
                assert after["fields"]["team.vastgesteld_op"] is None
                # Last year's meetings are no meetings about this year's protocol.
                for tag in ("team.inventarisatie", "team.teamoverleg",
                            "team.volgende_evaluatie"):
                    assert after["fields"][tag] is None, tag
                old_version = before["fields"]["team.versie"]
                assert after["fields"]["team.versie"] == next_minor(old_version)
            else:
                assert differ == set(), (identity.team_id, old_form.name, differ)


@pytest.mark.slow
def test_check_as_a_real_subprocess_reads_a_prefilled_form(cycle):
    _, _, out, kept, _, _ = cycle
    run = subprocess.run([str(EXE), "check", "--json", str(out / kept[0].team_id / "team.docx")],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["fields"]["team.status"] == "concept"


@pytest.mark.slow
def test_team_form_carries_the_note_at_the_top(cycle):
    from docx import Document

    _, _, out, kept, _, _ = cycle
    paragraphs = [p.text for p in Document(str(out / kept[0].team_id / "team.docx")).paragraphs]
    note = next(i for i, p in enumerate(paragraphs) if "antwoorden van de vorige ronde" in p)
    assert note < 3  # under the title and the team line, before the instructions
    assert "Controleer" in paragraphs[note]
    assert "vul de evaluatie in hoofdstuk 6 in" in paragraphs[note]


def test_last_cycles_evaluation_and_dates_are_not_carried_over():
    """Last year's evaluation is about last year's version: the new form asks it again, as
    it asks the meetings, the next evaluation and the adoption again."""
    fields = {"team.evaluatie_datum": dt.date(2026, 9, 1), "team.evaluatie_naleving": "Ja.",
              "team.evaluatie_gir": "Vier meldingen.", "team.teamoverleg": dt.date(2026, 9, 8),
              "team.volgende_evaluatie": dt.date(2027, 9, 8), "team.versie": "1.0",
              "team.status": "vastgesteld", "team.competenties": "Ervaren collega's."}
    carried = prefill.carry_over(TEAM_KIND, fields)
    for tag in ("team.evaluatie_datum", "team.evaluatie_naleving", "team.evaluatie_gir",
                "team.teamoverleg", "team.volgende_evaluatie"):
        assert carried[tag] is None, tag
    assert carried["team.competenties"] == "Ervaren collega's."
    assert (carried["team.status"], carried["team.versie"]) == ("concept", "1.1")


@pytest.mark.slow
def test_new_team_gets_blank_forms_and_a_gone_team_is_named(cycle):
    result, _, out, _, gone, new = cycle
    assert f"{new.team_id}: {1 + len(new.contact_kinds)} formulieren" in result.output
    assert "lege formulieren" in result.output
    answers = _check_json(out / new.team_id / "team.docx")["fields"]
    assert answers["team.competenties"] is None
    assert answers["team.versie"] is None
    assert f"team {gone.team_id} had formulieren" in result.output
    assert not (out / gone.team_id).exists()


@pytest.mark.parametrize(("version", "expected"), [
    ("2.0", "2.1"), ("1.9", "1.10"), ("3", "3.1"), (" 0.1 ", "0.2"), ("v2", "2.1"),
    ("v1.0", "1.1"), ("1,0", "1.1"), ("1.0 definitief", "1.1"), ("1.0.1", "1.1"), ("", None),
    (None, None), ("concept", None)])
def test_next_minor_version(version, expected):
    assert next_minor(version) == expected


@pytest.mark.slow
def test_unreadable_previous_form_skips_that_team_only(tmp_path):
    last = tmp_path / "vorig"
    teams = example_teams()[:2]
    locked = locked_texts_of(load_policy())
    for identity, answers in teams:
        write_team_forms(identity, last, answers, locked)
    identities = [i for i, _ in teams]
    broken = last / identities[0].team_id / "team.docx"
    broken.write_bytes(b"dit is geen Word-bestand")
    csv_path = _teams_csv(tmp_path / "teams.csv", identities)
    out = tmp_path / "nu"
    run = subprocess.run([str(EXE), "forms", str(csv_path), "--out", str(out), "--from",
                          str(last)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert str(broken) in run.stderr
    assert "geen Word-document" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (out / identities[0].team_id).exists()
    assert (out / identities[1].team_id / "team.docx").is_file()


def test_from_the_output_folder_itself_is_a_usage_error(tmp_path):
    last = tmp_path / "vorig"
    last.mkdir()
    csv_path = _teams_csv(tmp_path / "teams.csv", [i for i, _ in example_teams()][:1])
    result = CliRunner().invoke(cli, ["forms", str(csv_path), "--out", str(last), "--from",
                                      str(last)])
    assert result.exit_code == 2
    assert "dezelfde map" in result.output


# --- migration from an older schema ------------------------------------------------------------

def test_the_current_schema_needs_no_migration_and_unknown_ones_have_none():
    assert migration_path(SCHEMA_VERSION) == []
    assert migration_path("0") is None


def _old_form(path: Path, doc_edit, schema: str, kind: str = TEAM_KIND) -> None:
    """Rewrite the form at `path`: `doc_edit(document)` and schema version `schema`."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    document = etree.fromstring(files["word/document.xml"])
    doc_edit(document)
    files["word/document.xml"] = etree.tostring(document, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    props = {PROP_KIND: kind, PROP_SCHEMA: schema, PROP_TEAM: "burgerzaken"}
    path.write_bytes(ooxml.finish_package(buf.getvalue(), props))


def _sdts(document, tag: str):
    return [s for s in document.iter(qn("w:sdt")) if ooxml.sdt_tag(s) == tag]


def test_older_schema_form_is_migrated_renamed_split_and_converted(tmp_path, identity):
    spec = FORMS[TEAM_KIND]
    team = [f for f in spec.fields if f.merge is Merge.TEAM and not f.prefill]
    texts = [f for f in team if f.type is FieldType.MULTILINE]
    renamed, split_a, split_b, added = texts[0], texts[1], texts[2], texts[3]
    choice = next(f for f in team if f.type is FieldType.CHOICE and f.tag != "team.status")
    rows = next(f for f in team if f.type is FieldType.ROWS)
    ticked = choice.choices[1]
    row_col = next(c for c in rows.columns if c.type is FieldType.TEXT)
    answers = {renamed.tag: "Oude tekst die nu onder een nieuwe naam staat.",
               split_a.tag: "Een antwoord dat nu over twee vragen gaat.",
               added.tag: "Deze vraag bestond nog niet.",
               rows.tag: [{row_col.name: "Een actie uit de vorige ronde"}],
               "team.versie": "1.4", "team.status": "vastgesteld"}
    path = tmp_path / "burgerzaken" / "team.docx"
    path.parent.mkdir()
    path.write_bytes(write_form(TEAM_KIND, identity, answers))

    def to_old(document):
        _set(_sdts(document, renamed.tag)[0], "team.oude_naam")
        _set(_sdts(document, split_a.tag)[0], "team.samen")
        for gone in (*_sdts(document, split_b.tag), *_sdts(document, added.tag)):
            gone.getparent().remove(gone)
        for cell in document.iter(qn("w:sdt")):
            tag = ooxml.sdt_tag(cell) or ""
            if tag.startswith(rows.tag + "."):
                _set(cell, "team.oude_acties" + tag.removeprefix(rows.tag))
        old = _sdts(document, choice.tag)[0]
        old.getparent().replace(old, ooxml.checkbox_control(choice.tag, choice.label, True))

    _old_form(path, to_old, "0")
    step = Migration(source="0", target=SCHEMA_VERSION,
                     renamed={"team.oude_naam": renamed.tag, "team.oude_acties": rows.tag},
                     split={"team.samen": (split_a.tag, split_b.tag)},
                     checkbox_to_choice={choice.tag: ticked})
    data = migrate.read_previous_form(path, {"0": step})

    assert data.schema_version == "0"
    assert data.path == str(path)
    assert data.errors == []
    assert data.fields[renamed.tag] == answers[renamed.tag]
    assert data.fields[split_a.tag] == data.fields[split_b.tag] == answers[split_a.tag]
    assert data.fields[choice.tag] == ticked
    assert data.fields[rows.tag][0][row_col.name] == "Een actie uit de vorige ronde"
    assert added.tag not in data.fields  # asked only from this schema on: starts empty
    assert not [w for w in data.warnings if w.tag == added.tag]
    carried = prefill.carry_over(TEAM_KIND, data.fields)
    assert carried["team.versie"] == "1.5"
    assert carried["team.status"] == "concept"
    # The carried answers make a valid current form.
    write_form(TEAM_KIND, identity, carried)

    with pytest.raises(FormError) as info:
        migrate.read_previous_form(path, {})
    assert "schemaversie '0'" in info.value.message
    assert info.value.file == str(path)


def _set(sdt, tag: str) -> None:
    sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").set(qn("w:val"), tag)


def test_unticked_old_checkbox_becomes_no_answer(tmp_path, identity):
    spec = FORMS[TEAM_KIND]
    choice = next(f for f in spec.fields if f.type is FieldType.CHOICE and f.tag != "team.status"
                  and f.merge is Merge.TEAM)
    path = tmp_path / "burgerzaken" / "team.docx"
    path.parent.mkdir()
    path.write_bytes(write_form(TEAM_KIND, identity, {"team.versie": "1.0"}))

    def to_old(document):
        old = _sdts(document, choice.tag)[0]
        old.getparent().replace(old, ooxml.checkbox_control(choice.tag, choice.label, False))

    _old_form(path, to_old, "0")
    step = Migration(source="0", target=SCHEMA_VERSION,
                     checkbox_to_choice={choice.tag: choice.choices[0]})
    assert migrate.read_previous_form(path, {"0": step}).fields[choice.tag] is None


def _to_schema_1(document) -> None:
    """The balie form's yes/no statements as schema 1 had them: checkboxes."""
    for tag, ticked in (("balie.camera", True), ("balie.alarmknop", False),
                        ("balie.huisregels_zichtbaar", True)):
        old = _sdts(document, tag)[0]
        old.getparent().replace(old, ooxml.checkbox_control(tag, tag, ticked))


def test_a_schema_1_form_becomes_schema_2_with_the_real_table(tmp_path, identity):
    """Schema 1 had checkboxes for the yes/no statements: ticked is ja, unticked no answer."""
    path = tmp_path / "burgerzaken" / "balie.docx"
    path.parent.mkdir()
    path.write_bytes(write_form("balie", identity, {"balie.ordebewaking": "Gastvrouw."}))
    _old_form(path, _to_schema_1, "1", kind="balie")
    assert migration_path("1") == [SCHEMA_MIGRATIONS["1"]]
    data = migrate.read_previous_form(path)
    assert data.errors == []
    assert data.fields["balie.camera"] == "ja"
    assert data.fields["balie.huisregels_zichtbaar"] == "ja"
    assert data.fields["balie.alarmknop"] is None  # unticked: not answered, never "nee"
    assert data.fields["balie.ordebewaking"] == "Gastvrouw."


# A fresh interpreter, so the audit hook sees every file opened and no module is loaded yet.
_MIGRATE_ONCE = """
import json, os, sys
from pathlib import Path
from pipeline.forms.migrate import read_previous_form

form = Path(sys.argv[1])
opened, written = [], []
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT

def hook(event, args):
    if event == "open" and args[0] is not None:
        path, mode, flags = args
        if str(path) == str(form):
            opened.append(str(mode))
        if any(c in str(mode or "") for c in "wax+") or (flags or 0) & WRITE:
            written.append(str(path))
    elif event in ("os.mkdir", "os.rename", "os.remove", "shutil.rmtree"):
        written.append(str(args[0]))

sys.addaudithook(hook)
data = read_previous_form(form)
print(json.dumps({"opened": opened, "written": written, "camera": data.fields["balie.camera"],
                  "loaded": [m for m in ("docx", "pipeline.forms.write") if m in sys.modules]}))
"""


def test_a_migration_reads_the_form_once_and_writes_nothing(tmp_path, identity):
    """The migration works on the parts in memory: the old form is opened once, no copy is
    written (no temporary folder either), and the form writer and python-docx stay unloaded."""
    path = tmp_path / "burgerzaken" / "balie.docx"
    path.parent.mkdir()
    path.write_bytes(write_form("balie", identity, {}))
    _old_form(path, _to_schema_1, "1", kind="balie")
    proc = subprocess.run([sys.executable, "-c", _MIGRATE_ONCE, str(path)], capture_output=True,
                          text=True, timeout=120, check=True)
    seen = json.loads(proc.stdout)
    assert seen == {"opened": ["r"], "written": [], "camera": "ja", "loaded": []}  # r: read
