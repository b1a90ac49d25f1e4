"""Fill a form in the real LibreOffice through UNO and save it as .docx (run with /usr/bin/python3).

    /usr/bin/python3 lo_fill.py IN.docx OUT.docx EDITS.json

EDITS maps a content control's tag to its new value: a string for text, drop-down and date
controls (a date as `YYYY-MM-DD`), true/false for a checkbox. Every control is found as a
text portion of type "ContentControl" (LibreOffice 7.4+), including those in table cells.
Prints the tags it changed, one per line, and `done`.
"""

import contextlib
import json
import os
import re
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


def texts(doc):
    """The body text and every table cell's text."""
    yield doc.Text
    tables = doc.TextTables
    for i in range(tables.Count):
        table = tables.getByIndex(i)
        for name in table.CellNames:
            yield table.getCellByName(name)


def controls(doc):
    for text in texts(doc):
        paras = text.createEnumeration()
        while paras.hasMoreElements():
            para = paras.nextElement()
            if not para.supportsService("com.sun.star.text.Paragraph"):
                continue
            portions = para.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                if portion.TextPortionType == "ContentControl":
                    yield portion.ContentControl


def fill(control, value):
    if control.Checkbox:
        control.Checked = bool(value)
        control.setString(control.CheckedState if value else control.UncheckedState)
        return
    control.ShowingPlaceHolder = False
    # A date as YYYY-MM-DD is picked; any other text is typed over the date picker, which
    # leaves the old date in w:fullDate (issue 21, item 5).
    if control.Date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = (int(x) for x in value.split("-"))
        control.CurrentDate = f"{value}T00:00:00Z"
        value = f"{d}-{m}-{y}"
    control.setString(value)


@contextlib.contextmanager
def office(name):
    """A LibreOffice of its own (own profile, own pipe), its Desktop, stopped and its profile
    removed afterwards. Also used by lo_boxes.py, beside this file."""
    profile = Path(tempfile.mkdtemp(prefix=f"lo-{name}-"))
    pipe = f"lo{name}{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield desktop
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


def main(src, dst, edits):
    with office("fill") as desktop:
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0,
                                           (prop("Hidden", True),))
        done = set()
        for control in controls(doc):
            tag = control.Tag
            if tag in edits and tag not in done:
                fill(control, edits[tag])
                done.add(tag)
                print(tag)
        doc.storeToURL(Path(dst).resolve().as_uri(),
                       (prop("FilterName", "MS Word 2007 XML"), prop("Overwrite", True)))
        doc.close(True)
        print("done")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")))
