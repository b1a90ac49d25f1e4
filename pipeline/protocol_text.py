"""A protocol's text as plain lines, section by section: what the tracked-changes document
and the version history compare (a leaf)."""

from __future__ import annotations

from pipeline.models import Block, Protocol


def block_lines(block: Block) -> list[str]:
    """A block of protocol text as lines: its title, paragraphs, bullets and table rows."""
    lines = [block.title] if block.title else []
    lines += block.paragraphs
    lines += [f"• {b}" for b in block.bullets]
    lines += [" | ".join(row) for row in block.table]
    return [line for line in lines if line.strip()]


def sections(protocol: Protocol) -> list[tuple[str, list[str]]]:
    """The protocol's text as (section heading, lines): chapters, appendices, actions."""
    out = []
    for ch in protocol.chapters:
        lines = [line for b in [*ch.organisation, *ch.team] for line in block_lines(b)]
        out.append((f"{ch.number}. {ch.title}", lines))
    for ap in protocol.appendices:
        out.append((ap.title, [line for b in ap.blocks for line in block_lines(b)]))
    actions = [f"{a.item or '–'}: {a.what} ({a.owner or 'eigenaar nog te bepalen'}, "
               f"{a.due.isoformat() if a.due else 'geen datum'})"
               for a in protocol.annex.actions]
    out.append(("Acties", actions))
    return out
