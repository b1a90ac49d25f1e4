"""Lay forms out in the real LibreOffice and report how their answer boxes fall on pages
(run with /usr/bin/python3, which has `uno`).

    /usr/bin/python3 lo_boxes.py FORM.docx...

Prints per form one line `<file> <split> <orphaned>`: answer-box paragraphs (style
Antwoord) that start and end on different pages, and question labels (style Vraag) whose
next paragraph starts on a later page.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(200):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("LibreOffice did not start")


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
    profile = Path(tempfile.mkdtemp(prefix="lo-boxes-"))
    pipe = f"loboxes{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
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
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
