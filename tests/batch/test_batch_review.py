"""The annex as evidence, end to end (issue 20): real Word forms filled with what team leads
type, built, read back; the coordinator's review workbook edited as Excel saves it (openpyxl:
drop-down value, note, date), applied on the next build, kept across builds, never lost."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from helpers.batch import TODAY, build, docx_paragraphs, protocol_json, required_answers, write_team
from openpyxl import load_workbook

from pipeline.answers import answer_key
from pipeline.report.reviews import COLUMNS, REVIEWS_XLSX, lock_file

JUNK = {  # arranges nothing, whatever it looks like
    "team.competenties": "Doen we niet aan",
    "team.emoties": "Lorem ipsum dolor sit amet",
    "team.dilemmas": "bla",
    "team.incidentgesprek": "Geen idee eigenlijk",
    "team.opvolging": "iemand",
}
WEAKENS = "Wij melden niet in het GIR; de teamleider houdt een eigen lijstje bij."


def _team(forms: Path, **extra: object) -> None:
    answers = required_answers(**{**JUNK, "team.melden": WEAKENS, **extra})
    write_team(forms, "t1", answers, kinds=())


def _items(out: Path) -> dict[str, dict]:
    return {i["id"]: i for i in protocol_json(out, "t1")["annex"]["items"]}


def _rows(out: Path) -> list[dict[str, object]]:
    sheet = load_workbook(out / REVIEWS_XLSX).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r, strict=False))
            for r in sheet.iter_rows(min_row=2, values_only=True)]


def _decide(out: Path, decision: str, note: str, by: str, on: dt.datetime, row: int = 2) -> None:
    """What the coordinator does in Excel: choose from the drop-down, type a note, a name and
    a date, save."""
    path = out / REVIEWS_XLSX
    book = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = book.active
    assert sheet is not None
    col = {c.value: c.column for c in sheet[1]}
    sheet.cell(row, col["Oordeel"], decision)
    sheet.cell(row, col["Toelichting"], note)
    sheet.cell(row, col["Beoordeeld door"], by)
    sheet.cell(row, col["Datum"], on)
    book.save(path)


def test_junk_refusals_and_weakening_additions_are_never_geregeld(tmp_path):
    forms, out = tmp_path / "forms", tmp_path / "out"
    _team(forms)
    report = build(forms, out, pdf=False)
    assert not report.failed
    items = _items(out)
    for item_id in ("K4", "K3", "L1", "L3", "B3"):
        assert items[item_id]["status"] != "geregeld", item_id
    assert items["N2"]["status"] == "te beoordelen"
    reasons = " ".join(m["reason"] for m in items["K4"]["missing"])
    assert "weigering" in reasons
    # The protocol says it as it is: the team's words, then the box; no ✓ for N2.
    text = "\n".join(docx_paragraphs(out / "t1" / "teamprotocol-t1.docx"))
    assert WEAKENS in text
    assert "De coördinator beoordeelt deze aanvulling nog" in text
    assert "Dit antwoord is nog geen afspraak; zie onderdeel K4 in hoofdstuk 7." in text
    # The workbook lists the one answer to review, with its exact text and why.
    [row] = _rows(out)
    assert list(row) == list(COLUMNS)
    assert (row["Team"], row["Vraag"], row["Antwoord"]) == ("t1", "Melden van incidenten",
                                                            WEAKENS)
    assert row["Sleutel"] == answer_key("team.melden", WEAKENS)
    assert row["Stand"] == "open"
    assert row["Oordeel"] is None


def _review_warnings(report) -> list[str]:
    """The build's warnings about answers for the coordinator, as the user reads them."""
    return [p.format() for r in report.results for p in r.warnings
            if p.tag == "team.melden" or "coördinator" in p.message]


def test_the_coordinators_review_is_applied_kept_and_tied_to_the_exact_text(tmp_path):
    forms, out = tmp_path / "forms", tmp_path / "out"
    _team(forms)
    [pending] = _review_warnings(build(forms, out, pdf=False))
    assert pending.endswith(
        "Melden van incidenten — de coördinator beoordeelt dit antwoord nog: ontkent mogelijk "
        "de tekst van de organisatie. Beschrijf concreet wie wat doet en wanneer; een "
        "aanvulling mag de afspraak van de organisatie niet afzwakken."), pending
    assert _rows(out)[0]["Waarom te beoordelen"] == "ontkent mogelijk de tekst van de organisatie"
    _decide(out, "akkoord", "Het eigen lijstje komt naast het GIR.", "R. de Vries",
            dt.datetime(2026, 12, 2))
    # The decision alone makes the team rebuild; once accepted, nobody is told it still waits.
    assert _review_warnings(build(forms, out, pdf=False)) == []
    n2 = _items(out)["N2"]
    assert n2["status"] == "geregeld"
    assert n2["reviews"][0]["decision"] == "akkoord"
    text = "\n".join(docx_paragraphs(out / "t1" / "teamprotocol-t1.docx"))
    assert "Melden van incidenten: beoordeeld door R. de Vries op 2 december 2026: akkoord" \
        in text
    assert protocol_json(out, "t1")["annex"]["reviews"][0]["review"]["by"] == "R. de Vries"
    # Unchanged: the verdict survives rebuilds, the row is kept as the coordinator left it.
    build(forms, out, pdf=False)
    [row] = _rows(out)
    assert (row["Oordeel"], row["Stand"]) == ("akkoord", "beoordeeld")
    # A changed answer is judged again: the old row stays (vervallen), a new one is open.
    shutil.rmtree(forms / "t1")
    _team(forms, **{"team.melden": "Kleine incidenten melden we niet in het GIR."})
    build(forms, out, pdf=False)
    assert _items(out)["N2"]["status"] == "te beoordelen"
    old, new = _rows(out)
    assert old["Oordeel"] == "akkoord"
    assert old["Stand"].startswith("vervallen")
    assert new["Oordeel"] is None
    assert new["Stand"] == "open"


def test_niet_akkoord_arranges_nothing_and_shows_the_note(tmp_path):
    forms, out = tmp_path / "forms", tmp_path / "out"
    _team(forms, **{"team.training_gevolgd": "Agressietraining"})  # too short to judge
    build(forms, out, pdf=False)
    assert [r["Vraag"] for r in _rows(out)] == ["Melden van incidenten", "Gevolgde training"]
    for row in (2, 3):
        _decide(out, "niet akkoord", "Schrijf op wie, wat en wanneer.", "R. de Vries",
                dt.datetime(2026, 12, 2), row=row)
    # The team lead is told the coordinator's note, with what to do: not that it still waits.
    assert _review_warnings(build(forms, out, pdf=False)) == [
        f"{forms / 't1' / 'team.docx'} — {question} — de coördinator is niet akkoord: ‘Schrijf "
        f"op wie, wat en wanneer.’ Beschrijf concreet wie wat doet en wanneer{addition}."
        for question, addition in (
            ("Melden van incidenten",
             "; een aanvulling mag de afspraak van de organisatie niet afzwakken"),
            ("Gevolgde training", ""))]
    items = _items(out)
    # A team question: not arranged, with the coordinator's note as the reason.
    assert items["N3"]["status"] != "geregeld"
    assert "de coördinator is niet akkoord: ‘Schrijf op wie, wat en wanneer.’" in " ".join(
        m["reason"] for m in items["N3"]["missing"])
    # An addition: the frame alone applies; the rejected text is not printed, the note is.
    assert items["N2"]["status"] == "geregeld"
    text = "\n".join(docx_paragraphs(out / "t1" / "teamprotocol-t1.docx"))
    assert WEAKENS not in text
    assert "Melden van incidenten: beoordeeld door R. de Vries op 2 december 2026: niet " \
           "akkoord (Schrijf op wie, wat en wanneer.)" in text


def test_an_open_or_broken_workbook_stops_only_that_step(tmp_path):
    forms, out = tmp_path / "forms", tmp_path / "out"
    _team(forms)
    build(forms, out, pdf=False)
    _decide(out, "akkoord", "", "R. de Vries", dt.datetime(2026, 12, 2))
    saved = (out / REVIEWS_XLSX).read_bytes()
    lock_file(out).write_bytes(b"owner")  # Excel has the workbook open
    shutil.rmtree(forms / "t1")
    _team(forms, **{"team.opschalen": "We schalen niet op."})
    report = build(forms, out, pdf=False)
    assert not report.failed
    assert (out / REVIEWS_XLSX).read_bytes() == saved  # nothing lost, nothing half
    assert any("geopend in Excel" in p.message for p in report.warnings)
    assert _items(out)["N2"]["status"] == "geregeld"  # the saved decisions still count
    lock_file(out).unlink()
    (out / REVIEWS_XLSX).write_bytes(b"not a workbook")
    report = build(forms, out, pdf=False, force=True)
    assert not report.failed
    assert (out / REVIEWS_XLSX).read_bytes() == b"not a workbook"
    assert any("kan niet worden gelezen" in p.message for p in report.warnings)


def test_an_unknown_decision_is_named_and_left_open(tmp_path):
    forms, out = tmp_path / "forms", tmp_path / "out"
    _team(forms)
    build(forms, out, pdf=False)
    _decide(out, "prima", "", "R. de Vries", dt.datetime(2026, 12, 2))
    report = build(forms, out, pdf=False)
    [problem] = [p for p in report.warnings if p.file == REVIEWS_XLSX]
    assert problem.field == "rij 2, Oordeel"
    assert _items(out)["N2"]["status"] == "te beoordelen"
    assert TODAY  # the build date is fixed by the helper
