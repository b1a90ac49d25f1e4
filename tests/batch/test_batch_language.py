"""The example protocols as a reader sees them (the PDF's text): none of the sentences a native
editor and a review of version 0.3.1 fixed (`domain.md`), and the parts a coordinator asked
for (issue 22): Arbowet art. 9, BHV/EHBO, the serious-incident chain, the dadergerichte
aanpak, one sanction ladder from the incidentgesprek, the RI&E named with its date, derden,
the employee's conduct on home visits, how to contest a toegangsverbod, 7.4's source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.batch import pdf_text
from helpers.hyphens import broken_words
from pypdf import PdfReader

from pipeline.examples import example_teams

# What must not be printed: our old sentences, as the review quoted them.
BAD = (
    "Het team heeft hier niets eigens ingevuld",
    "Nee (niet aangevinkt)",
    "Het team heeft dit (nog) niet ingevuld",
    "Een agressief telefoongesprek waarschuwen",
    "in het kader van dit hoofdstuk",
    "alles wat nodig is, is ingevuld",
    "(standaardtekst bij",
    "Wat we daarvan leren over onze eigen dienstverlening, gebruiken we.",
    "direct, binnen twee minuten op de hoofdlocaties",
    "met hoor en wederhoor. Dat verschuift",
    "breng uzelf",
    "doet dat voor hem",
    "zodat zijn woonadres",
    "buiten de lijn wil praten",
    "kosten van juridische bijstand vergoedt",
    "Eten doet u buiten; koffie",
    "ook als het meeviel of per telefoon",
    "wie grijpt in bij doxing",
    "rij(en)",
    "opmerking(en)",
    "beste remedie",
    "van nog niet vastgesteld",
    "een tot 200 procent hogere straf",
    "ook dat vertellen we aan daders",
    "Een toegangsverbod legt de burgemeester namens het college schriftelijk op",
    "je bent bij de burger, dus jij gaat weg",
    "Bij een bedreiging of dreiging met geweld beëindig je",
    "zij vragen de burger te vertrekken",
    "bij de hoofdstukken 3 en 4, staan in de bijlagen",
    "Scheldt of kleineert een burger je, spreek die er dan op aan",
    "waarschuwingsbrief",
    "Nederlandse Arbeidsinspectie (voorheen Inspectie SZW) kijkt",
    "Open bij het team",
    "Open bij de organisatie",
    "zet voor elk onderdeel een actie",
    "‘nog niet’ regelt niets",
    # A statement or a choice said as a sentence, not "question: answer." (review of 0.3.1).
    ": nee.",
    ": niet beantwoord.",
    ": deels.",
    ": weet ik niet.",
    "De huisregels worden bij de opening genoemd. De huisregels worden bij de opening genoemd.",
    "De voorzitter noemt de huisregels bij de opening. De huisregels worden bij de opening",
)
# Form questions as headings of the protocol's chapters (review of 0.3.1): noun headings
# instead. Chapter 7 names the form's questions on purpose: what to fill in where.
QUESTION_HEADINGS = ("Wie de orde bewaakt in het werk van het team, en hoe",
                     "Wie aan het gesprek van stap 1 deelnamen",
                     "Wie aan het teamoverleg van stap 2 deelnamen",
                     "Wie op een alarm afkomt en hoe snel", "Hoe vaak het alarm wordt getest")
# A bare answer as a line of body text, under a question used as a heading.
BARE = re.compile(r"^(Ja|Nee|Niet|Deels|Weet ik niet|Wekelijks|Maandelijks|Per kwartaal|"
                  r"Halfjaarlijks|Jaarlijks)\.?$")
# "Versie 1.1 van 9 juni 2026": a version and its date joined by "van".
VERSION_VAN = re.compile(r"Versie \S+ van \d{1,2} \w+ \d{4}")
# "Gemeente Lindenhoven wil …" at the start of a sentence.
ORG_STARTS = re.compile(r"(?:^|[.!?]\s+)Gemeente Lindenhoven wil")


@pytest.fixture(scope="module")
def texts(example_build) -> dict[str, str]:
    """Every example team's protocol PDF as one text, whitespace made single spaces."""
    _, out = example_build
    found = {}
    for identity, _ in example_teams():
        pdf = Path(out) / identity.team_id / f"teamprotocol-{identity.team_id}.pdf"
        found[identity.team_id] = " ".join(pdf_text(PdfReader(pdf)).split())
    return found


def test_none_of_the_fixed_sentences_is_printed(texts):
    for team_id, text in texts.items():
        for bad in BAD:
            assert bad not in text, f"{team_id}: {bad}"
        assert not VERSION_VAN.search(text), team_id
        assert not ORG_STARTS.search(text), team_id


def test_no_form_question_heads_a_chapter_answer(texts):
    for team_id, text in texts.items():
        chapters = text[:text.rindex("7.1 ")]
        for question in QUESTION_HEADINGS:
            assert question not in chapters, f"{team_id}: {question}"


def test_no_bare_answer_stands_as_body_text(example_build):
    _, out = example_build
    for identity, _ in example_teams():
        team = identity.team_id
        reader = PdfReader(Path(out) / team / f"teamprotocol-{team}.pdf")
        lines = [line.strip() for line in pdf_text(reader).split("\n")]
        assert [line for line in lines if BARE.match(line)] == [], team


def test_the_title_page_version_reads_plainly(texts):
    assert "Versie 0.1 (concept)" in texts["belastingen"]
    assert re.search(r"Versie 1\.0, \d{1,2} \w+ 2026", texts["handhaving"])


def test_the_parts_a_coordinator_asked_for_are_in_every_protocol(texts):
    for team_id, text in texts.items():
        for words in (
                "Arbowet artikel 9", "Nederlandse Arbeidsinspectie", "bedrijfshulpverleners",
                "EHBO", "gemeentesecretaris", "afdeling Communicatie", "Dadergerichte aanpak",
                "De veiligheid van derden", "heroverwegen", "gemeentelijke ombudsman",
                "RI&E gemeente Lindenhoven, deel publieksagressie (2024-11)",
                "lijst in de Werkwijzer Veilige Publieke Dienstverlening (2019)",
                "7.4 Overzicht naar de elf onderwerpen van de Werkwijzer (2019)"):
            assert words in text, f"{team_id}: {words}"


def test_one_sanction_ladder_starting_with_the_incidentgesprek(texts):
    text = texts["werk-en-inkomen"]
    # Chapter 3's ladder and chapter 4's sanctions start with the incidentgesprek; the old
    # "waarschuwingsbrief → ordegesprek" ladder is gone (BAD above).
    ladder = text.index("Ze lopen op:")
    assert text[ladder:ladder + 80].startswith("Ze lopen op: • een incidentgesprek") or \
        "een incidentgesprek" in text[ladder:ladder + 60]
    sanctions = text.index("De maatregelen lopen op, voor agressie en voor ordeverstoring")
    assert "Incidentgesprek" in text[sanctions:sanctions + 120]


def test_home_visitors_have_rules_of_conduct(texts):
    text = texts["wijkteam-zorg"]
    assert "Voor jezelf als medewerker gelden bij elk bezoek deze regels" in text
    assert "Stel je voor en laat je legitimatiebewijs zien." in text


def test_owner_names_in_the_annex_are_not_broken_mid_word(example_build):
    """The owners in 7.2's narrow column stand whole ("Communicatie", not "Communica tie")."""
    from helpers.batch import protocol_json

    _, out = example_build
    for identity, _ in example_teams():
        team = identity.team_id
        reader = PdfReader(Path(out) / team / f"teamprotocol-{team}.pdf")
        pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
        text = " ".join(pages)
        # 7.2 only: 7.3 lists the same owners in a wider column.
        part = text[text.rindex("7.2 Alle onderdelen"):text.rindex("7.3 Acties")]
        tokens = {w.strip(",.;()") for w in part.split()}
        # 7.2 names the owner of a planned action under it; the owner of the items without
        # one is named once, under 7.3.
        owners = {a["owner"] for a in protocol_json(out, team)["annex"]["actions"]
                  if a["owner"] and a["origin"] != "open"}
        for word in (w.strip(",.;()") for o in owners for w in o.split()):
            if len(word) >= 6 and len(word) <= 14:
                assert word in tokens, f"{team}: {word}"


def test_every_policy_document_is_named_with_its_date_in_the_pdf(texts):
    """The 'Bron' lines name what protocol.json's policy answers name: each arranged item's
    document and date (the RI&E among them), in the chapter that cites it."""
    from pipeline.policy import load_policy

    policy = load_policy()
    text = texts["werk-en-inkomen"]
    for item, answer in policy.checklist.items():
        if answer.arranged:
            assert f"{answer.document} ({answer.date})" in text, item


def test_no_word_is_broken_without_a_hyphen_in_any_example_pdf(example_build):
    """Every example protocol (its annex's narrow cells included) and every alarm card, read
    from the PDF's text: no word broken over two lines without a hyphen ("Communica|tie")."""
    _, out = example_build
    for identity, _ in example_teams():
        team = identity.team_id
        for name in (f"teamprotocol-{team}.pdf", f"kaart-{team}.pdf"):
            reader = PdfReader(Path(out) / team / name)
            assert broken_words(pdf_text(reader)) == [], name


@pytest.mark.libreoffice
def test_the_broken_word_check_finds_what_libreoffice_breaks(tmp_path):
    """The check above can fail: LibreOffice breaks a word too long for a narrow cell without
    a hyphen, and the check names it."""
    from docx import Document
    from docx.shared import Cm

    from pipeline.pdf.convert import PdfConverter

    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, (Cm(1.6), Cm(12)),
                                   strict=True):
        column.width = cell.width = width
    table.rows[0].cells[0].text = "Afdeling Communicatie"
    table.rows[0].cells[1].text = "De afdeling Communicatie informeert de medewerkers."
    docx = tmp_path / "smal.docx"
    document.save(str(docx))
    with PdfConverter(jobs=1) as converter:
        [pdf] = converter.convert([(docx, tmp_path / "smal.pdf")]).values()
    assert isinstance(pdf, Path), pdf
    found = broken_words(pdf_text(PdfReader(pdf)))
    assert found
    assert all(w.replace("|", "") in ("Afdeling", "Communicatie") for w in found), found


def test_a_hyphenated_break_and_two_words_are_not_broken_words():
    assert broken_words("de afdeling Communi-\ncatie en de\nDreigingsanalyse-\nformulier in\n"
                        "stelling gebracht") == []
    assert broken_words("de afdeling Communica\ntie en de voorzie\nningen") == [
        "Communica|tie", "voorzie|ningen"]
