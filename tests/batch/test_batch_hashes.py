"""The files' hashes an unchanged rebuild trusts (`pipeline.batch.hashes`): a file whose
`stat` identity is the one recorded is not read again; any write, even one that puts the
modification time back, makes it hashed again; a file written just now is not trusted."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from pipeline.batch import hashes
from pipeline.batch.hashes import HASHES_NAME, FileHashes


def _old(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    past = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(past, past))
    return path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    real = hashes.sha256_file

    def sha256_file(path: Path) -> str:
        read.append(path)
        return real(path)

    monkeypatch.setattr(hashes, "sha256_file", sha256_file)
    # The change time cannot be set back: treat every file as settled, as one written
    # long enough ago would be.
    monkeypatch.setattr(hashes, "SETTLE_NS", -10**18)
    return read


def test_an_untouched_file_is_not_read_again(tmp_path, counted):
    form = _old(tmp_path / "team.docx", b"formulier")
    first = FileHashes(tmp_path)
    assert first.sha256(form) == hashlib.sha256(b"formulier").hexdigest()
    first.save()
    assert (tmp_path / HASHES_NAME).is_file()
    counted.clear()
    again = FileHashes(tmp_path)
    assert again.sha256(form) == hashlib.sha256(b"formulier").hexdigest()
    assert counted == []


def test_a_write_that_keeps_size_and_time_is_hashed_again(tmp_path, counted):
    form = _old(tmp_path / "team.docx", b"formulier")
    stat = form.stat()
    first = FileHashes(tmp_path)
    first.sha256(form)
    first.save()
    form.write_bytes(b"Formulier")  # same size
    os.utime(form, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # its time put back
    counted.clear()
    assert FileHashes(tmp_path).sha256(form) == hashlib.sha256(b"Formulier").hexdigest()
    assert counted == [form]


def test_a_file_written_just_now_is_not_trusted_next_time(tmp_path, monkeypatch, counted):
    monkeypatch.setattr(hashes, "SETTLE_NS", 60 * 10**9)
    form = tmp_path / "team.docx"
    form.write_bytes(b"formulier")
    first = FileHashes(tmp_path)
    first.sha256(form)
    first.save()
    counted.clear()
    FileHashes(tmp_path).sha256(form)
    assert counted == [form]


def test_a_damaged_cache_only_costs_the_hashing(tmp_path, counted):
    form = _old(tmp_path / "team.docx", b"formulier")
    (tmp_path / HASHES_NAME).write_text("{kapot", encoding="utf-8")
    assert FileHashes(tmp_path).sha256(form) == hashlib.sha256(b"formulier").hexdigest()
    assert counted == [form]


def test_files_the_run_wrote_are_kept_from_what_is_on_disk_at_its_end(tmp_path, counted):
    # Written by the run: hashed again at its end (the next run need not read them), from
    # the disk, so a hand edit made meanwhile is what the cache says.
    written = [tmp_path / "teamprotocol.docx", tmp_path / "kaart.docx"]
    for path in written:
        path.write_bytes(b"geschreven")
    written[1].write_bytes(b"met de hand")
    gone = tmp_path / "weg.docx"
    FileHashes(tmp_path).save(written=[*written, gone])
    counted.clear()
    again = FileHashes(tmp_path)
    assert again.sha256(written[0]) == hashlib.sha256(b"geschreven").hexdigest()
    assert again.sha256(written[1]) == hashlib.sha256(b"met de hand").hexdigest()
    assert counted == []


def test_files_the_run_wrote_just_now_are_read_next_time(tmp_path, monkeypatch, counted):
    monkeypatch.setattr(hashes, "SETTLE_NS", 60 * 10**9)
    written = tmp_path / "teamprotocol.docx"
    written.write_bytes(b"geschreven")
    FileHashes(tmp_path).save(written=[written])
    counted.clear()
    FileHashes(tmp_path).sha256(written)
    assert counted == [written]
