"""Atomic writes, hashes, the manifest and incremental checks, archive names and path safety."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
from pathlib import Path

import pytest

from pipeline import files
from pipeline.archive import (
    MANIFEST_NAME,
    Manifest,
    TeamEntry,
    archive_name,
    load_manifest,
    save_manifest,
    team_is_current,
)
from pipeline.errors import OutputError
from pipeline.files import (
    atomic_copy,
    atomic_move,
    atomic_write_bytes,
    ensure_inside,
    safe_name_part,
    sha256_bytes,
    sha256_file,
)


def test_atomic_write_creates_folders_and_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "team" / "protocol.docx"
    atomic_write_bytes(target, b"eerste")
    atomic_write_bytes(target, b"tweede")
    assert target.read_bytes() == b"tweede"
    assert [p.name for p in target.parent.iterdir()] == ["protocol.docx"]


def test_failed_rename_keeps_old_file_and_no_temp(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "protocol.pdf"
    target.write_bytes(b"oud en compleet")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "I/O-fout")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(target, b"nieuw" * 1000)
    assert info.value.file == str(target)
    assert target.read_bytes() == b"oud en compleet"
    assert list(tmp_path.iterdir()) == [target]


def test_full_disk_mid_write_leaves_nothing(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def full_fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_fsync)
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(tmp_path / "nieuw.pdf", b"x" * 100)
    assert "vol" in info.value.hint
    assert "(schijf vol)" in info.value.message  # Dutch, not the system's English strerror
    assert "No space" not in info.value.format()
    assert list(tmp_path.iterdir()) == []


def test_interrupted_stream_leaves_no_partial_file(tmp_path: Path) -> None:
    def chunks():
        yield b"half"
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing

    with pytest.raises(KeyboardInterrupt):
        files.write_chunks(tmp_path / "x.pdf", chunks())
    assert list(tmp_path.iterdir()) == []


def test_atomic_copy_and_move(tmp_path: Path) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.7 inhoud")
    atomic_copy(src, tmp_path / "archief" / "b.pdf")
    assert (tmp_path / "archief" / "b.pdf").read_bytes() == src.read_bytes()
    atomic_move(src, tmp_path / "c" / "c.pdf")
    assert not src.exists()
    assert (tmp_path / "c" / "c.pdf").read_bytes() == b"%PDF-1.7 inhoud"
    with pytest.raises(OutputError):
        atomic_copy(tmp_path / "weg.pdf", tmp_path / "d.pdf")
    assert not (tmp_path / "d.pdf").exists()


def test_hashes(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)  # more than one read chunk
    (tmp_path / "f").write_bytes(data)
    assert sha256_file(tmp_path / "f") == sha256_bytes(data) == hashlib.sha256(data).hexdigest()


def _entry(out: Path, inputs: dict[str, str]) -> TeamEntry:
    outputs = {}
    for rel, data in (("t1/teamprotocol-t1.docx", b"docx"), ("t1/teamprotocol-t1.pdf", b"pdf")):
        atomic_write_bytes(out / rel, data)
        outputs[rel] = sha256_bytes(data)
    return TeamEntry(inputs=inputs, outputs=outputs, tool_version="0.1.0", schema_version="1",
                     time="2025-03-01T10:00:00+00:00", status="concept")


def test_manifest_round_trip(tmp_path: Path) -> None:
    manifest = Manifest()
    manifest.teams["t1"] = _entry(tmp_path, {"t1/team.docx": "ab" * 32})
    manifest.teams["a0"] = TeamEntry(inputs={"beleid": "cd" * 32})
    save_manifest(tmp_path, manifest)
    assert load_manifest(tmp_path) == manifest
    text = (tmp_path / MANIFEST_NAME).read_text()
    assert text.index('"a0"') < text.index('"t1"')  # sorted, so the file diffs well


@pytest.mark.parametrize("content", [b"", b"{niet json", b'{"teams": []}', b"\xff\xfe\x00",
                                     b'{"manifest_version": 99, "teams": {}}',
                                     b'{"teams": {"t1": {"inputs": {"a": 1}}}}'])
def test_corrupt_manifest_gives_empty(tmp_path: Path, content: bytes) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(content)
    assert load_manifest(tmp_path) == Manifest()


def test_missing_manifest_gives_empty(tmp_path: Path) -> None:
    assert load_manifest(tmp_path / "bestaat-niet") == Manifest()


def test_team_is_current(tmp_path: Path) -> None:
    inputs = {"t1/team.docx": "ab" * 32, "beleid": "cd" * 32}
    manifest = Manifest(teams={"t1": _entry(tmp_path, inputs)})
    assert team_is_current(manifest, "t1", dict(inputs), tmp_path)
    assert not team_is_current(manifest, "t2", inputs, tmp_path)
    assert not team_is_current(manifest, "t1", {**inputs, "beleid": "ef" * 32}, tmp_path)
    assert not team_is_current(manifest, "t1", {**inputs, "t1/balie.docx": "01" * 32},
                               tmp_path)
    pdf = tmp_path / "t1" / "teamprotocol-t1.pdf"
    pdf.write_bytes(b"pdf ")  # changed output: rebuild
    assert not team_is_current(manifest, "t1", inputs, tmp_path)
    pdf.write_bytes(b"pdf")
    assert team_is_current(manifest, "t1", inputs, tmp_path)
    pdf.unlink()  # deleted output: rebuild
    assert not team_is_current(manifest, "t1", inputs, tmp_path)


def test_team_is_current_refuses_outputs_outside(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    (tmp_path / "geheim").write_bytes(b"x")
    entry = TeamEntry(inputs={"a": "b"}, outputs={"../geheim": sha256_bytes(b"x")})
    assert not team_is_current(Manifest(teams={"t": entry}), "t", {"a": "b"}, out)


def test_team_is_current_refuses_a_team_folder_that_leads_outside(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "uit", tmp_path / "elders"
    (elsewhere / "t").mkdir(parents=True)
    (elsewhere / "t" / "p.pdf").write_bytes(b"x")
    out.mkdir()
    (out / "t").symlink_to(elsewhere / "t")  # the same file, reached through a link
    entry = TeamEntry(inputs={"a": "b"}, outputs={"t/p.pdf": sha256_bytes(b"x")})
    assert not team_is_current(Manifest(teams={"t": entry}), "t", {"a": "b"}, out)
    # A link that stays inside the output folder passes, as `ensure_inside` lets it.
    (out / "t").unlink()
    (out / "echt").mkdir()
    (out / "echt" / "p.pdf").write_bytes(b"x")
    (out / "t").symlink_to(out / "echt")
    assert team_is_current(Manifest(teams={"t": entry}), "t", {"a": "b"}, out)


def test_archive_name() -> None:
    name = archive_name("Gemeente Zuidoost-Fryslân", "balie-noord", "1.2",
                        dt.date(2025, 3, 14))
    assert name == "Gemeente-Zuidoost-Fryslan_balie-noord_teamprotocol_1.2_2025-03-14.pdf"


@pytest.mark.parametrize(("org", "team", "version"), [
    ("../../etc", "../passwd", ".."),
    ("a/b\\c", "/abs/pad", "1/2"),
    ("CON", "nul", "com1"),
    ("Team met  spaties", "x_y", "  "),
    ("", "\x00\n\t", "lpt9.txt"),
])
def test_archive_name_is_always_safe(org: str, team: str, version: str) -> None:
    name = archive_name(org, team, version, "2025-01-02")
    assert name.endswith(".pdf")
    assert "/" not in name
    assert "\\" not in name
    assert ".." not in name
    assert " " not in name
    # Only the team part may hold "_": the name splits back from both ends.
    org_part, rest = name.removesuffix(".pdf").split("_", 1)
    team_part, marker, version_part, date_part = rest.rsplit("_", 3)
    parts = [org_part, team_part, marker, version_part, date_part]
    assert marker == "teamprotocol"
    assert all(parts)
    reserved = {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    assert not any(p.split(".")[0].upper() in reserved for p in parts)
    assert name.isascii()


def test_team_ids_differing_in_underscore_and_dash_get_different_names() -> None:
    names = {archive_name("lindenhoven", t, "1.0", "2026-09-01")
             for t in ("wijk_noord", "wijk-noord")}
    assert names == {"lindenhoven_wijk_noord_teamprotocol_1.0_2026-09-01.pdf",
                     "lindenhoven_wijk-noord_teamprotocol_1.0_2026-09-01.pdf"}


def test_safe_name_part_examples() -> None:
    assert safe_name_part("../..") == "onbekend"
    assert safe_name_part("CON") == "x-CON"
    assert safe_name_part("Wijk Team 3") == "Wijk-Team-3"
    assert len(safe_name_part("a" * 500)) == 60


def test_archive_name_needs_a_date() -> None:
    with pytest.raises(OutputError) as info:
        archive_name("org", "t1", "1.0", None)
    assert info.value.field == "Vastgesteld op"


def test_ensure_inside(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    assert ensure_inside(out, out / "t1" / "x.pdf") == (out / "t1" / "x.pdf").resolve()
    assert ensure_inside(out, Path("t1/x.pdf")) == (out / "t1" / "x.pdf").resolve()
    for bad in (out / ".." / "x.pdf", Path("/etc/passwd"), Path("../../x")):
        with pytest.raises(OutputError) as info:
            ensure_inside(out, bad)
        assert "buiten de uitvoermap" in info.value.message
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError):
        ensure_inside(out, out / "link" / "x.pdf")


@pytest.mark.parametrize(("code", "words"), [(errno.EROFS, "alleen-lezen"),
                                              (errno.EACCES, "geen toegang"),
                                              (errno.ENAMETOOLONG, "systeemfout ENAMETOOLONG")])
def test_os_reasons_are_dutch(code: int, words: str) -> None:
    from pipeline.errors import os_reason

    assert os_reason(OSError(code, "English words")) == words


def test_written_files_get_the_users_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's private 0600: colleagues and the archive must be able to read them."""
    mask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "protocol.docx", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "protocol.docx").stat().st_mode & 0o777 == 0o666 & ~files._umask()


@pytest.mark.parametrize("name", ["con", "NUL.txt", "com0", "COM9.pdf", "lpt0", "Lpt5",
                                  "com\u00b9", "LPT\u00b3.docx", "aux ", "prn.tar.gz"])
def test_windows_reserved_names_are_refused_everywhere(name: str) -> None:
    """One list (pipeline.files), for archive names and for team ids alike."""
    from pipeline.forms.teams_csv import team_id_problem

    assert files.is_reserved_name(name)
    assert safe_name_part(name).startswith("x-")
    if name.isascii() and name.isalnum():
        assert team_id_problem(name.lower()) is not None


@pytest.mark.parametrize("name", ["com10", "console", "com", "lpt", "nul-team", "aux_1"])
def test_names_windows_allows(name: str) -> None:
    assert not files.is_reserved_name(name)
    assert safe_name_part(name) == name.replace("_", "-")
