"""Opening overzicht.html in a real browser (Debian's Chromium, driven by Playwright) and
checking it with axe-core, for the overview's browser tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from pipeline.report import HTML

CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by make setup; never a downloaded build
ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# axe-core from npm, installed into the virtualenv by `make setup` (Makefile, AXE_VERSION).
AXE = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_page(browser: Browser, out: Path, width: int) -> Page:
    # A phone is emulated as one (is_mobile): without the page's viewport meta, Chromium
    # would then lay it out 980 px wide and zoom out, as a phone's browser does.
    phone = width < 600
    page = browser.new_page(viewport={"width": width, "height": 800}, is_mobile=phone,
                            has_touch=phone, device_scale_factor=3 if phone else 1)
    page.goto((out / HTML).as_uri())
    return page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it is now: per violation
    its rule, and the elements (selector and what fails) it found."""
    assert AXE.is_file(), "make setup installs axe-core (npm) into .venv/node"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                          WCAG_21_AA)
    return [{"rule": v["id"], "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"]]}
            for v in found["violations"]]
