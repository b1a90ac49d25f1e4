"""Each converted PDF checked in a worker process beside LibreOffice: verification, the
independent validator `page`, the PDF/UA claim of a concept, the font, and the contents'
page numbers stamped into the .docx.

Measured on issue 26's bench (200 teams, 2 cores): verification (~40 ms) and `page`
(~90-140 ms of CPU per profile per PDF) in the batch's own thread made soffice wait for
Python between its lists, and Python (one thread, the GIL) wait for soffice: 1.50 x the
LibreOffice floor, a third of the machine idle. A worker process takes that work off the
batch's thread, so the cores stay busy with whichever of them has work.

`page` (a compiled Rust library, profiled with `perf` on our protocols) spends its time
parsing: a quarter in malloc/free, most of the rest in lopdf's object and content-stream
parsers and the font scans; the rules themselves are a small part. It validates one profile
per call and refuses `profile=None` on our PDFs (both PDF/A and PDF/UA identification are
present), so an archived PDF costs two parses; there is no cheaper call for the same verdict.
"""

from __future__ import annotations

import difflib
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from pipeline.archive import note_written
from pipeline.batch.timing import CHECK_STAGES
from pipeline.errors import Problem
from pipeline.files import atomic_write_bytes, sha256_bytes, sha256_file
from pipeline.merge import CARD_HEADING
from pipeline.models import Origin, Protocol, Source
from pipeline.pdf.compare import Difference, compare, unmapped_glyphs
from pipeline.pdf.links import name_contents_links
from pipeline.pdf.read import PdfFile, toc_link_pages
from pipeline.pdf.soffice import metric_twin
from pipeline.pdf.verify import settle_ua_claim, validate_pdf, verify_pdf
from pipeline.render import ANNEX_HEADING
from pipeline.render.toc_pages import stamp_toc, toc_entries, toc_pages_from_links
from pipeline.text import plural

# Stage labels of the work done here (CPU seconds, in the worker; `make bench` prints them).
VERIFY, VALIDATE_ARCHIVED, VALIDATE_CONCEPT, STAMP, CARD = CHECK_STAGES


@dataclass(frozen=True)
class Check:
    """What a worker is asked: one team's PDF and the .docx it was made from."""

    pdf: Path
    docx: Path
    rel_pdf: str  # how problems name the PDF
    adopted: bool  # goes to the archive: PDF/A-2b and PDF/UA-1 must pass, else not published
    font: str
    out_dir: Path  # where the journal of written files is (archive.JOURNAL_NAME)
    team_id: str


@dataclass
class Checked:
    """What a worker found; `problems` empty means the PDF may be published."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # why the UA claim was withdrawn
    font: Problem | None = None  # the policy's font is not in the PDF
    pdf_hash: str = ""
    stamped_docx_hash: str | None = None  # the .docx now holds the page numbers
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage label
    # What of the .docx's text the PDF lost (`compare`): the team fails, naming the field
    # (`text_problems`, in the batch's thread, which has the protocol).
    differences: list[Difference] = field(default_factory=list)


def check_pdf(check: Check) -> Checked:
    """Verify, validate (archived: PDF/A-2b + PDF/UA-1; concepts: PDF/UA-1, the claim
    withdrawn when it fails), font, and stamp the contents into the .docx; in any process."""
    out = Checked()
    clock = time.process_time
    start = clock()
    toc_pages: dict[str, int] = {}
    fonts: set[str] = set()
    with PdfFile(check.pdf) as pdf:  # read once by every check below
        out.problems = verify_pdf(pdf, expect_text=ANNEX_HEADING, name=check.rel_pdf)
        if not out.problems:
            out.differences = compare(check.docx.read_bytes(), pdf).differences
        if not out.problems and not out.differences:
            # The pages of the contents, read from the links before they get their headings'
            # names (a screen reader announced "_Toc00001"); validated below as they are.
            toc_pages = toc_pages_from_links(toc_link_pages(pdf))
            fonts = set(pdf.fonts.used)
    if out.problems or out.differences:
        out.cpu[VERIFY] = clock() - start
        return out
    name_contents_links(check.pdf, dict(toc_entries(check.docx.read_bytes())))
    out.cpu[VERIFY] = clock() - start
    start = clock()
    if check.adopted:  # never skipped: what is archived passes the validator
        out.problems = validate_pdf(check.pdf, name=check.rel_pdf)
        if any(_FONT_RULE in p.message for p in out.problems):
            # The finding names an object; the coordinator needs the field and text.
            out.differences = unmapped_glyphs(check.docx.read_bytes(), check.pdf)
        out.cpu[VALIDATE_ARCHIVED] = clock() - start
    else:
        out.warnings.extend(settle_ua_claim(check.pdf, name=check.rel_pdf))
        out.cpu[VALIDATE_CONCEPT] = clock() - start
    if out.problems:
        return out
    start = clock()
    out.pdf_hash = sha256_file(check.pdf)  # the file just verified (and its claim settled)
    out.font = font_missing(fonts, check.pdf.name, check.font)
    out.stamped_docx_hash = stamp_contents(check.docx, toc_pages, check.out_dir, check.team_id)
    out.cpu[STAMP] = clock() - start
    return out


def check_card(check: Check) -> Checked:
    """The alarm card's own PDF checked the way the protocol's is, in any process: verified,
    every word and number of its .docx in it, validated by `page` (PDF/A-2b + PDF/UA-1 when
    adopted; a concept's PDF/UA-1 claim settled). Nothing is stamped: the card has no
    contents."""
    out = Checked()
    start = time.process_time()
    with PdfFile(check.pdf) as pdf:
        out.problems = verify_pdf(pdf, expect_text=CARD_HEADING, name=check.rel_pdf,
                                  validate=check.adopted)
        if not out.problems:
            out.differences = compare(check.docx.read_bytes(), pdf, words=True).differences
    if not out.problems and not out.differences:
        if not check.adopted:
            out.warnings.extend(settle_ua_claim(check.pdf, name=check.rel_pdf))
        out.pdf_hash = sha256_file(check.pdf)
    out.cpu[CARD] = time.process_time() - start
    return out


_FONT_RULE = "FONT-UNICODE-MAPPING"  # page's rule: a glyph without its character
_ORGANISATION_TEXT = "de tekst uit het beleid"
_TEXT_HINT = ("Vervang in die tekst de genoemde tekens (emoji, bijzondere symbolen) door gewone "
              "woorden en bouw opnieuw; de PDF is niet gepubliceerd")
# No odd character behind it: LibreOffice left text out while laying out the pages (seen: a
# table's second row lost at a page break, bench team burgerzaken-0049, which the renderer
# now prevents: render/word.py). The document is right; a page that breaks elsewhere is laid
# out again.
_LAYOUT_HINT = ("Het document zelf is goed: LibreOffice liet deze tekst weg bij het opmaken van "
                "de PDF (bijvoorbeeld een tabelrij op een paginagrens). Maak dat antwoord iets "
                "langer of korter, zodat de pagina ergens anders afbreekt, en bouw opnieuw; de "
                "PDF is niet gepubliceerd")


def _source_of(protocol: Protocol | None, paragraph: str) -> Source | None:
    """The block of the protocol whose text holds `paragraph` (a paragraph of its .docx), or
    failing that the block with the most similar text (the template may add to it)."""
    wanted = " ".join(paragraph.split())
    if protocol is None or not wanted:
        return None
    blocks = [b for c in protocol.chapters for b in (*c.organisation, *c.team)]
    blocks += [b for a in protocol.appendices for b in a.blocks]
    texts: dict[str, Source] = {}
    for block in blocks:
        for text in (block.title or "", *block.paragraphs, *block.bullets,
                     *(cell for row in block.table for cell in row)):
            text = " ".join(text.split())
            if len(text) > 3:
                texts.setdefault(text, block.source)
    for text, source in texts.items():
        if wanted in text or text in wanted:
            return source
    close = difflib.get_close_matches(wanted, list(texts), n=1, cutoff=0.6)
    return texts[close[0]] if close else None


def _verb(found: list[str]) -> str:
    return "staat" if len(found) == 1 else "staan"


def _chars(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)


def text_problems(differences: list[Difference], protocol: Protocol | None,
                  file: str) -> list[Problem]:
    """What the PDF lost of the .docx's text, one problem per field, in words a coordinator
    can act on: the field (or the policy's text) and the characters behind it, never the
    answer itself (it may hold personal data)."""
    problems: list[Problem] = []
    by_place: dict[tuple[str | None, str | None], list[Difference]] = {}
    for difference in differences:
        source = _source_of(protocol, difference.paragraph)
        place = ((source.label or source.tag, source.tag) if source is not None
                 and source.origin is Origin.TEAM else
                 (_ORGANISATION_TEXT, None) if source is not None else (None, None))
        by_place.setdefault(place, []).append(difference)
    for (label, tag), found in by_place.items():
        what = []
        numbers = [d.text for d in found if d.kind == "getal"]
        if numbers:
            what.append(f"{plural(len(numbers), 'getal', 'getallen')} (zoals een "
                        f"telefoonnummer) {_verb(numbers)} niet of verminkt in de PDF")
        missing = [d.text for d in found if d.kind == "ontbreekt"]
        if missing:
            what.append("de PDF toont " + _chars(missing) + " niet")
        chars = [d.text for d in found if d.kind == "teken"]
        if chars:
            what.append("de PDF toont " + _chars(chars) + (", dat" if len(chars) == 1 else
                        ", die") + f" niet in het document {_verb(chars)}")
        words = [d.text for d in found if d.kind == "woord"]
        if words:
            what.append(f"{plural(len(words), 'woord', 'woorden')} van de alarmkaart "
                        f"{_verb(words)} niet of verminkt in de PDF")
        fonts = list(dict.fromkeys(d.text for d in found if d.kind == "lettertype"))
        if fonts:
            what.append("het lettertype " + ", ".join(fonts) + " tekent hier tekens die de "
                        "PDF niet als tekst kent (de melding PDFUA1-FONT-UNICODE-MAPPING)")
        suspects = [c for c in dict.fromkeys(c for d in found for c in d.suspects())
                    if c not in missing]
        cause = f"; kijk ook naar {_chars(suspects)}" if suspects else ""
        odd = suspects or missing or chars or fonts
        problems.append(Problem(file=file, field=label, tag=tag, message=(
            "de tekst van de PDF wijkt af van het document: " + "; ".join(what) + cause),
            hint=_TEXT_HINT if odd else _LAYOUT_HINT))
    return problems


def stamp_contents(docx: Path, pages: dict[str, int], out_dir: Path,
                   team_id: str) -> str | None:
    """Give the .docx a real TOC field holding the page numbers LibreOffice laid out
    (`pages`, by bookmark); the SHA-256 of the stamped file, or None when nothing changed."""
    stamped = stamp_toc(docx.read_bytes(), pages)
    if stamped is None:
        return None
    digest = sha256_bytes(stamped)
    note_written(out_dir, team_id, digest)  # before the file: see archive.JOURNAL_NAME
    atomic_write_bytes(docx, stamped)
    return digest


def font_missing(embedded: set[str], file: str, font: str) -> Problem | None:
    """A warning when the PDF `file`, whose pages use the fonts `embedded`, does not embed
    the policy's font (or its metric twin)."""
    wanted = {font.replace(" ", "").lower(), metric_twin(font).replace(" ", "").lower()}
    if any(name.lower().startswith(w) for name in embedded for w in wanted if w):
        return None
    shown = ", ".join(sorted({n.split("-")[0] for n in embedded})[:3]) or "geen"
    return Problem(file=file, field="branding.font", message=(
        f"de PDF/A bevat het lettertype '{font}' niet, maar {shown}"),
        hint="Installeer het lettertype op deze computer, of kies in het beleid een "
             "lettertype dat er wel is, zoals Calibri (LibreOffice gebruikt dan Carlito)")


def worker_count(jobs: int) -> int:
    """How many check workers beside `jobs` soffice processes: as many, never more than the
    cores.

    One worker per two soffice processes fell behind: checking a team's two PDFs costs about
    half the CPU of converting them (0.22 against 0.42 CPU-s), and with the card checked in
    the worker too, one worker ended a batch checking alone on one core while the other idled
    (measured, 60 teams on 2 cores: the last 3.5 s at one core, 86 % of both busy; with two
    workers the backlog is checked on both, 95 %). During conversion the extra worker costs
    nothing: the cores are shared among whoever has work.
    """
    return max(1, min(os.cpu_count() or 1, jobs))


def _worker_start(parent: int) -> None:
    """Set up a check worker: Ctrl-C is the batch's, and the worker ends with the batch."""
    # Ctrl-C reaches the whole foreground process group: the batch handles it and shuts the
    # pool down; a worker printing its own KeyboardInterrupt would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker blocks on its task queue, whose pipe it holds both ends of: after a `kill -9`
    # of the batch it would wait forever. It looks at its parent once a second instead.
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def check_pool(jobs: int) -> ProcessPoolExecutor:
    """The worker processes that check PDFs.

    Spawned, not forked: a forked worker would inherit the soffice guard's pipe
    (`pdf.processes.Guard`) and keep it open after a `kill -9` of the batch, so the guard
    would not kill soffice. A spawned worker holds only its own pipes and ends when the
    batch ends (`_worker_start`).
    """
    return ProcessPoolExecutor(max_workers=worker_count(jobs), mp_context=get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(),))
