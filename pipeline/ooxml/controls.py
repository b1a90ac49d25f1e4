"""Building inline content controls (`w:sdt`): plain and multi-line text, checkbox, drop-down,
date picker, and the repeating section of table rows."""

from __future__ import annotations

import datetime as dt
import hashlib

from lxml import etree

from pipeline.ooxml.names import CHECKED_CHAR, DATE_FORMAT, UNCHECKED_CHAR, element, format_date, qn


def text_runs(text: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """`<w:r>` elements for `text`: one run, `\\n` as `<w:br/>` and `\\t` as `<w:tab/>`."""
    r = element("w:r")
    if rpr is not None:
        r.append(_copy(rpr))
    for i, line in enumerate(text.split("\n")):
        if i:
            element("w:br", r)
        for j, piece in enumerate(line.split("\t")):
            if j:
                element("w:tab", r)
            if piece:
                t = element("w:t", r)
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [r]


def _copy(el: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(el))


def _rpr(color: str | None = None, font: str | None = None) -> etree._Element:
    rpr = element("w:rPr")
    if font:
        element("w:rFonts", rpr, w_ascii=font, w_hAnsi=font, w_eastAsia=font, w_cs=font)
    if color:
        element("w:color", rpr, w_val=color)
    return rpr


PLACEHOLDER_COLOR = "6B6B6B"  # 5.3:1 on white, where Word's own Placeholder Text is 3.9:1
PLACEHOLDER_STYLE = "PlaceholderText"  # Word's character style for placeholder text
# An unstyled hair space before every placeholder. LibreOffice (25.2, measured with
# tests/helpers/lo_fill.py) gives an answer typed or chosen over a placeholder the formatting of
# the placeholder's first character: without this lead every answer given in LibreOffice
# stayed grey (PlaceholderText); with it the answer has the paragraph's own formatting. Word
# replaces the whole placeholder. It is whitespace, so readers that strip text never see it.
# So a placeholder is two runs where Word writes one: measured again for the block-level long
# answer (LibreOffice 25.2, lo_fill.py): without the lead its typed answer kept the
# PlaceholderText style too. A grey answer matters more than the run count.
PLACEHOLDER_LEAD = "\u200a"


def placeholder_runs(text: str, style: etree._Element,
                     lead_rpr: etree._Element | None = None) -> list[etree._Element]:
    """The runs of a placeholder: the unstyled `PLACEHOLDER_LEAD`, then `text` in `style`."""
    return text_runs(PLACEHOLDER_LEAD, lead_rpr) + text_runs(text, style)


def placeholder_name(tag: str) -> str:
    """The glossary docPart name of a control's placeholder: 32 hex digits, as Word names
    them, made from the tag so that the same form gives the same bytes."""
    return hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest().upper()


def sdt(tag: str, alias: str, kind: etree._Element | None, content: str | None,
        placeholder: str, *, locked: bool = False, font: str | None = None) -> etree._Element:
    """An inline `<w:sdt>`: tag, alias, the control kind's element and its content runs.

    With `content` None the control shows `placeholder` with `w:showingPlcHdr`, the way
    Word marks an unanswered control. A control with a placeholder names its glossary
    docPart (`w:placeholder`, see `finish_package`), as Word stores it: when a user clears
    an answer, Word shows that text again instead of its own "Klik of tik om tekst in te
    voeren". The placeholder runs carry the `PlaceholderText` style, not direct grey, so
    typed text never inherits the grey.
    """
    el = element("w:sdt")
    pr = element("w:sdtPr", el)
    element("w:alias", pr, w_val=alias)
    element("w:tag", pr, w_val=tag)
    if locked:
        # Word refuses edits and deletion; LibreOffice ignores the lock, so the reader never
        # takes a locked field's text as an answer.
        element("w:lock", pr, w_val="sdtContentLocked")
    if placeholder:
        element("w:docPart", element("w:placeholder", pr), w_val=placeholder_name(tag))
    if content is None:
        element("w:showingPlcHdr", pr)
    if kind is not None:
        pr.append(kind)
    body = element("w:sdtContent", el)
    if content is None:
        style = element("w:rPr")
        element("w:rStyle", style, w_val=PLACEHOLDER_STYLE)
        if font:
            style.append(_rpr(None, font)[0])
        runs = placeholder_runs(placeholder, style, _rpr(None, font) if font else None)
    else:
        runs = text_runs(content, _rpr(None, font) if font else None)
    body.extend(runs)
    return el


def text_control(tag: str, alias: str, value: str | None, placeholder: str, *,
                 multiline: bool = False, locked: bool = False) -> etree._Element:
    """Inline plain-text control; multi-line keeps line breaks as `<w:br/>` inside the control."""
    kind = element("w:text", w_multiLine="1") if multiline else element("w:text")
    return sdt(tag, alias, kind, value if value else None, placeholder, locked=locked)


def block_text_control(tag: str, alias: str, value: str | None, placeholder: str,
                       paragraph: etree._Element, *, blank_lines: int = 0) -> etree._Element:
    """Block-level rich-text `<w:sdt>` around `paragraph` (the answer box): the whole box is
    the control, so whatever Word lets a user type in it, a new paragraph after Enter too,
    lands inside the control.

    The value's lines are `<w:br/>` in the one paragraph. An empty control shows
    `placeholder` followed by `blank_lines` line breaks inside the placeholder's run: the
    box looks a few lines tall and Word replaces all of it on the first keystroke.
    LibreOffice 25.2 loads this as an inline control in the paragraph and saves it that way;
    of a box Word filled with two paragraphs it keeps the first in the control and the
    second, with the box's style, right after it (measured, tests/helpers/lo_fill.py): the
    reader takes such paragraphs into the answer with a warning.
    """
    shown = value if value else None
    el = sdt(tag, alias, None, shown, placeholder + "\n" * blank_lines if shown is None
             else placeholder)
    body = el.find(qn("w:sdtContent"))
    runs = list(body)
    for run in runs:
        body.remove(run)
    paragraph.extend(runs)
    parent = paragraph.getparent()
    if parent is not None:
        parent.replace(paragraph, el)
    body.append(paragraph)
    return el


def checkbox_control(tag: str, alias: str, checked: bool) -> etree._Element:
    """Inline `w14:checkbox` control showing ☒ or ☐ (Word's own states and font)."""
    kind = element("w14:checkbox")
    element("w14:checked", kind, w14_val="1" if checked else "0")
    element("w14:checkedState", kind, w14_val="2612", w14_font="MS Gothic")
    element("w14:uncheckedState", kind, w14_val="2610", w14_font="MS Gothic")
    return sdt(tag, alias, kind, CHECKED_CHAR if checked else UNCHECKED_CHAR, "",
               font="MS Gothic")


def dropdown_control(tag: str, alias: str, choices: tuple[str, ...], value: str | None,
                     placeholder: str, *, empty_item: str | None = None,
                     shown: tuple[str, ...] = ()) -> etree._Element:
    """Inline drop-down list control; the shown text is the chosen item's display text.

    `shown` gives each choice a display text of its own ("N6 Bouwkundige en technische
    voorzieningen" for "N6"); without it a choice shows itself. `empty_item` is a first item
    that prompts, as Word's own lists have ("Kies een item.", with that text as its value too,
    as Word writes it): choosing it makes the answer empty again (the reader knows the
    prompt's text).
    """
    kind = element("w:dropDownList")
    if empty_item:
        element("w:listItem", kind, w_displayText=empty_item, w_value=empty_item)
    display = dict(zip(choices, shown, strict=True)) if shown else {}
    for c in choices:
        element("w:listItem", kind, w_displayText=display.get(c, c), w_value=c)
    return sdt(tag, alias, kind, display.get(value, value) if value else None, placeholder)


def date_control(tag: str, alias: str, value: dt.date | None, placeholder: str) -> etree._Element:
    """Inline date picker (nl-NL, `d-M-yyyy`); the date itself is kept in `w:fullDate`."""
    kind = element("w:date")
    if value is not None:
        kind.set(qn("w:fullDate"), f"{value.isoformat()}T00:00:00Z")
    element("w:dateFormat", kind, w_val=DATE_FORMAT)
    element("w:lid", kind, w_val="nl-NL")
    element("w:storeMappedDataAs", kind, w_val="dateTime")
    element("w:calendar", kind, w_val="gregorian")
    return sdt(tag, alias, kind, format_date(value) if value else None, placeholder)


def repeating_section(tag: str, alias: str, rows: list[etree._Element]) -> etree._Element:
    """`w15:repeatingSection` around table rows, each a `w15:repeatingSectionItem`.

    Lets Word users add a row with the plus button. LibreOffice 25.2 drops both levels when
    it saves (measured), so readers must find rows from their cell controls, never from this.
    """
    outer = element("w:sdt")
    pr = element("w:sdtPr", outer)
    element("w:alias", pr, w_val=alias)
    element("w:tag", pr, w_val=tag)
    element("w15:repeatingSection", pr)
    body = element("w:sdtContent", outer)
    for row in rows:
        item = element("w:sdt", body)
        element("w15:repeatingSectionItem", element("w:sdtPr", item))
        element("w:sdtContent", item).append(row)
    return outer
