"""Lay forms out in the real LibreOffice and report how their answer boxes fall on pages
(run with /usr/bin/python3, which has `uno`).

    /usr/bin/python3 lo_boxes.py FORM.docx...

Prints per form one line `<file> <split> <orphaned>`: answer-box paragraphs (style
Antwoord) that start and end on different pages, and question labels (style Vraag) whose
next paragraph starts on a later page.
"""

import sys
from pathlib import Path

from lo_fill import office, prop  # beside this file: the same LibreOffice start and stop


def pages(doc):
    """(style, first page, last page) of every body paragraph; tables as (None, page, page)."""
    cursor = doc.getCurrentController().getViewCursor()
    out = []
    paras = doc.Text.createEnumeration()
    while paras.hasMoreElements():
        para = paras.nextElement()
        if not para.supportsService("com.sun.star.text.Paragraph"):
            out.append((None, None, None))
            continue
        cursor.gotoRange(para.getStart(), False)
        first = cursor.getPage()
        cursor.gotoRange(para.getEnd(), False)
        out.append((para.ParaStyleName, first, cursor.getPage()))
    return out


def main(files):
    with office("boxes") as desktop:
        for name in files:
            doc = desktop.loadComponentFromURL(Path(name).resolve().as_uri(), "_blank", 0,
                                               (prop("Hidden", True),))
            found = pages(doc)
            split = sum(1 for style, a, b in found if style == "Antwoord" and a != b)
            orphaned = sum(1 for (style, _, end), (_, start, _) in zip(found, found[1:],
                                                                      strict=False)
                           if style == "Vraag" and start is not None and start != end)
            print(name, split, orphaned)
            doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1:])
