"""What a team lead typed reaches the documents literally; the annex follows the forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from helpers.batch import (
    TRICKY_COMPETENCES,
    TRICKY_DILEMMA,
    TRICKY_NORM,
    assert_overview_matches_annex,
    build,
    docx2python_text,
    docx_paragraphs,
    protocol_json,
    required_answers,
    squash,
    write_team,
)

from pipeline.catalogue import FORMS, Merge
from pipeline.render.annex import SETTLED_LINE

pytestmark = pytest.mark.slow  # builds the teams' protocols (without PDFs)

TEAM_ID = "inhoud"
TEAM_NAME = "Wijk & Buurt <Noord>"
TRICKY_HOUSE_RULE = "Op locatie Noord & Zuid: geen <honden> en {{ geen }} fietsen binnen."
FILLED_ITEM, EMPTY_ITEM = "K4", "L3"  # one answered, one left empty (checked below)
INHERIT_TAG = "team.melden"  # left empty: the organisation's procedure applies
EMPTY_TAG = "team.incidentgesprek"


@pytest.fixture(scope="module")
def content_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One team whose answers contain markup and template syntax, built without PDF."""
    forms = tmp_path_factory.mktemp("inhoud") / "formulieren"
    answers = required_answers(**{"team.norm_voorbeelden": TRICKY_NORM,
                                  "team.competenties": TRICKY_COMPETENCES,
                                  "team.dilemmas": TRICKY_DILEMMA})
    assert INHERIT_TAG not in answers
    assert EMPTY_TAG not in answers
    write_team(forms, TEAM_ID, answers, team=TEAM_NAME, kinds=("balie",),
               other={"balie": {"balie.huisregels_aanvulling": TRICKY_HOUSE_RULE}})
    # A second, fully ordinary team, so the overview has more than one row to compare.
    write_team(forms, "gewoon", required_answers())
    out = tmp_path_factory.mktemp("inhoud-uit") / "output"
    report = build(forms, out, pdf=False)
    assert report.failed == [], [p.format() for r in report.failed for p in r.problems]
    return out


def _docx(out: Path) -> Path:
    return out / TEAM_ID / f"teamprotocol-{TEAM_ID}.docx"


@pytest.mark.parametrize("typed", [TRICKY_NORM, TRICKY_COMPETENCES, TRICKY_DILEMMA,
                                   TRICKY_HOUSE_RULE])
def test_typed_text_appears_literally(content_build, typed):
    paragraphs = docx_paragraphs(_docx(content_build))
    body, _ = docx2python_text(_docx(content_build))

    assert typed in paragraphs  # a paragraph of its own, exactly as typed
    assert typed in body  # and so says an independent reader
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;")
    if escaped != typed:
        assert escaped not in body
    assert "&amp;" not in "\n".join(paragraphs)
    assert "&lt;" not in "\n".join(paragraphs)


def test_template_syntax_is_not_evaluated(content_build):
    text = "\n".join(docx_paragraphs(_docx(content_build)))
    assert "Formule 49" not in text
    assert "Voorwaarde ja is geen code" not in text
    assert "Voorwaarde  is geen code" not in text


def test_team_name_with_markup_reaches_title_and_properties(content_build):
    docx = _docx(content_build)
    assert TEAM_NAME in docx_paragraphs(docx)
    properties = Document(str(docx)).core_properties
    # Metadata spell & < > with look-alikes: LibreOffice escapes them twice in the PDF's XMP.
    assert "Wijk en Buurt ‹Noord›" in properties.title
    assert properties.title.count("&") == properties.title.count("<") == 0
    assert protocol_json(content_build, TEAM_ID)["meta"]["team"] == TEAM_NAME


def _chunks(policy_text: str) -> list[str]:
    """The policy text's paragraphs (blank-line separated) and bullets, whitespace squashed."""
    chunks = []
    for part in re.split(r"\n\s*\n", policy_text):
        lines = part.strip().splitlines()
        paragraph = [line for line in lines if not line.lstrip().startswith("- ")]
        if paragraph:
            chunks.append(squash(" ".join(paragraph)))
        chunks += [squash(line.lstrip()[2:]) for line in lines if line.lstrip().startswith("- ")]
    return chunks


def test_empty_inherit_field_shows_the_organisation_text(content_build, default_policy):
    field = FORMS["team"].field(INHERIT_TAG)
    assert field.merge is Merge.INHERIT
    chunks = _chunks(default_policy.text(field.policy_text))
    assert len(chunks) > 1

    paragraphs = [squash(p) for p in docx_paragraphs(_docx(content_build))]
    start = paragraphs.index(field.label)  # the question's heading in the protocol
    following = paragraphs[start + 1:start + 2 + len(chunks) + 2]
    for chunk in chunks:
        assert chunk in following, chunk
    body, _ = docx2python_text(_docx(content_build))
    assert all(chunk in squash(body) for chunk in chunks)


def test_annex_status_follows_the_forms(content_build, default_policy):
    # The premises, from the catalogue and the policy: FILLED_ITEM and EMPTY_ITEM depend only
    # on team questions of the team form, and the organisation does not answer them.
    def fields_of(item):
        return [f for spec in FORMS.values() for f in spec.fields if item in f.checklist]

    assert [f.tag for f in fields_of(FILLED_ITEM)] == ["team.competenties"]
    assert EMPTY_TAG in [f.tag for f in fields_of(EMPTY_ITEM)]
    for item in (FILLED_ITEM, EMPTY_ITEM):
        assert all(f.merge is Merge.TEAM for f in fields_of(item))
        assert item not in default_policy.checklist
    # Every question of EMPTY_ITEM on the forms this team has is unanswered.
    assert all(f.tag == EMPTY_TAG or not f.tag.startswith(("team.", "balie."))
               for f in fields_of(EMPTY_ITEM))

    items = {i["id"]: i for i in protocol_json(content_build, TEAM_ID)["annex"]["items"]}
    assert items[FILLED_ITEM]["status"] == "geregeld"
    assert items[FILLED_ITEM]["action"] is None
    assert items[EMPTY_ITEM]["status"] == "ontbreekt"
    assert items[EMPTY_ITEM]["action"] is not None

    # The document's annex table says the same.
    rows = {}
    for table in Document(str(_docx(content_build))).tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if len(cells) == 5 and cells[0] in (FILLED_ITEM, EMPTY_ITEM):
                rows.setdefault(cells[0], cells)
    # Nr., Onderdeel, Status, Wat ontbreekt, Actie (with its owner and date under it); an
    # item with nothing missing has one cell across the last two (python-docx gives it twice)
    assert rows[FILLED_ITEM][2].split()[-1] == "geregeld"
    assert rows[FILLED_ITEM][3:] == [SETTLED_LINE] * 2
    assert rows[EMPTY_ITEM][2].split()[-1] == "ontbreekt"
    assert rows[EMPTY_ITEM][3] != "–"  # what is missing is named
    assert rows[EMPTY_ITEM][4] != "–"  # and the action, or that none is planned yet
    if rows[EMPTY_ITEM][4] == "nog niet gepland":  # who acts until then: once, under 7.3
        text = "\n".join(p.text for p in Document(str(_docx(content_build))).paragraphs)
        assert "Tot er een actie is, is de eigenaar:" in text


def test_overview_numbers_equal_the_annex(content_build):
    assert sorted(assert_overview_matches_annex(content_build)) == ["gewoon", TEAM_ID]
