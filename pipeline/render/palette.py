"""The status palette: per checklist status its symbol, its strong colour and its light fill,
once, for 7.1's bar, 7.2's status cells and the legends (a new status is one entry here).

Symbol and word always go together, so a status never rests on colour alone. Why these
colours, and why 3:1 between every pair of them cannot be had: docs/template.md, "Status
colours" (tests/render/test_palette.py measures the rendered protocol's own colours).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.models import Status


@dataclass(frozen=True)
class StatusLook:
    """How one status shows: symbol (in `SYMBOL_FONT`), strong colour, light cell fill."""

    symbol: str
    colour: str  # RRGGBB
    fill: str  # RRGGBB


PALETTE: dict[Status, StatusLook] = {
    Status.GEREGELD: StatusLook("✓", "0F5A1F", "E2EFDA"),  # dark green
    # Waits for the coordinator: a question mark in blue, never the green of geregeld.
    Status.TE_BEOORDELEN: StatusLook("?", "1F4E79", "DDEBF7"),
    Status.DEELS: StatusLook("◐", "B05400", "FFF2CC"),  # orange-brown on light yellow
    Status.ONTBREEKT: StatusLook("✗", "5C0000", "F8D7DA"),  # dark red
    Status.NVT: StatusLook("–", "595959", "EDEDED"),  # grey
}


def legend() -> str:
    """The symbols in words, in status order: `✓ geregeld, ◐ deels, ✗ ontbreekt, – n.v.t.`."""
    return ", ".join(f"{look.symbol} {status.value}" for status, look in PALETTE.items())
