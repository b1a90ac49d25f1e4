"""A hostile policy or logo through the real CLI: one Dutch line naming file and key, exit 1,
nothing written (the policy concerns every team, so the batch does not start)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from pipeline.policy import dump_default_policy


def _png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


LAUGHS = "\n".join(["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                   + [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]"
                      for i in range(1, 10)]) + "\n"

# name -> (edit of the policy text, edit of the logo bytes, words the message must contain)
CASES = {
    "verkeerd-type": (lambda t: _replace(t, "incident_system: GIR",
                                         "incident_system: [GIR, BRZO]"), None,
                      ["incident_system"]),
    "onbekende-sleutel": (lambda t: t + "\nhuisstijl_kleur: rood\n", None, ["huisstijl_kleur"]),
    "aliasbom": (lambda t: t + LAUGHS, None, ["verwijzing (*)"]),
    "logo-geen-plaatje": (None, lambda _: b"Dit is geen plaatje maar een brief.\n" * 10,
                          ["branding.logo", "logo.png"]),
    "logo-bom": (None, lambda _: _png(60_000, 60_000), ["branding.logo", "te groot"]),
    "logo-enorm": (None, lambda _: _png(200, 200) + b"\x00" * 6_000_000,
                   ["branding.logo", "te groot"]),
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory, write_team) -> Path:
    dest = tmp_path_factory.mktemp("beleidsformulieren")
    write_team(dest, "klantcontactcentrum")
    return dest


@pytest.mark.parametrize("name", CASES)
def test_hostile_policy_stops_the_batch_cleanly(sandbox, forms, name):
    edit_text, edit_logo, words = CASES[name]
    policy = sandbox.root / "beleid" / "beleid.yaml"
    dump_default_policy(policy)
    if edit_text:
        policy.write_text(edit_text(policy.read_text(encoding="utf-8")), encoding="utf-8")
    if edit_logo:
        logo = policy.with_name("logo.png")
        logo.write_bytes(edit_logo(logo.read_bytes()))
    out = sandbox.root / "uitvoer"
    proc = sandbox.run("build", forms, "--policy", "voorbeeld",
                       "--policy", "voorbeeld", "--out", out, "--policy", policy, "--no-pdf")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("Fout: ")]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"Fout: {policy} — "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not out.exists()
    assert sandbox.leftovers() == []
