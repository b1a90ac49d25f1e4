"""Faults during a batch: LibreOffice killed, a read-only or full output folder, SIGINT/SIGTERM.

Only processes of the test's own run are signalled: the build it started, or soffice
processes whose command line holds the run's private TMPDIR (their profile lives there).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from helpers.hardening import TEAMPROTOCOL, Sandbox, soffice_pids, tree_digest, wait_for

from pipeline.archive import JOURNAL_NAME, LOCK_NAME
from pipeline.batch.hashes import HASHES_NAME
from pipeline.batch.records import RECORDS_NAME
from pipeline.batch.shared import POLICY_CACHE
from pipeline.files import sha256_file
from pipeline.pdf.verify import verify_pdf
from pipeline.render import ANNEX_HEADING

TEAMS = ("burgerzaken", "klantcontactcentrum", "handhaving", "vergunningen")
RUN_SECONDS = 120


@pytest.fixture(scope="module")
def built(tmp_path_factory, write_team, lo_cache) -> tuple[Path, Path]:
    """Four good teams and their complete output (docx + PDF/A), built once."""
    root = tmp_path_factory.mktemp("fouten")
    forms = root / "formulieren"
    for team in TEAMS:
        write_team(forms, team)
    box = Sandbox(root / "box", lo_cache)
    proc = box.run("build", forms, "--policy", "voorbeeld", "--out", root / "uitvoer")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return forms, root / "uitvoer"


def _copy_out(built, dest: Path) -> Path:
    shutil.copytree(built[1], dest)
    return dest


def assert_complete(out: Path, teams=TEAMS) -> None:
    """Every team has a verified PDF, and the manifest's hashes match the files on disk."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["teams"]) == sorted(teams)
    for team in teams:
        assert verify_pdf(out / team / f"teamprotocol-{team}.pdf", expect_text=ANNEX_HEADING) == []
        for rel, digest in manifest["teams"][team]["outputs"].items():
            assert sha256_file(out / rel) == digest, rel
    assert_no_temp_files(out)


def assert_no_temp_files(out: Path, *, interrupted: bool = False) -> None:
    # The lock file stays by design (archive.output_lock), and so do the overview's records
    # (batch.records) and the files' hashes (batch.hashes); the lock's info file goes with the
    # run. An interrupted run also keeps its journal of the .docx files it wrote (until a run
    # saves a manifest knowing them), so they are not taken for hand edits.
    kept = {LOCK_NAME, RECORDS_NAME, POLICY_CACHE, HASHES_NAME}
    kept |= {JOURNAL_NAME} if interrupted else set()
    stray = [p for p in out.rglob("*") if (p.name.startswith(".") or p.suffix == ".tmp")
             and p.name not in kept]
    assert stray == []


# --- LibreOffice killed ----------------------------------------------------------------------

def test_soffice_killed_mid_batch_is_retried(sandbox, built):
    out = _copy_out(built, sandbox.root / "uitvoer")
    build = sandbox.popen("build", built[0], "--policy", "voorbeeld",
                                         "--out", out, "--force", "--jobs", "1")
    try:
        victims = wait_for(lambda: soffice_pids(sandbox.tmp), timeout=60)
        assert victims, "soffice is niet gestart"
        for pid in victims:  # ours: the profile in the command line lies in our TMPDIR
            os.kill(pid, signal.SIGKILL)
        stdout, stderr = build.communicate(timeout=RUN_SECONDS)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 0, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert_complete(out)
    assert wait_for(lambda: not soffice_pids(sandbox.tmp), timeout=10)
    assert sandbox.leftovers() == []


def test_batch_killed_with_sigkill_leaves_no_soffice_and_no_work_folder(sandbox, built):
    """kill -9 of the batch: its guard kills soffice and removes the work folder, in which the
    PDFs with staff names were being written; the next run takes the lock and completes."""
    out = _copy_out(built, sandbox.root / "uitvoer")
    build = sandbox.popen("build", built[0], "--policy", "voorbeeld", "--out", out, "--force",
                          "--jobs", "1")
    try:
        assert wait_for(lambda: soffice_pids(sandbox.tmp), timeout=60), "soffice is niet gestart"
        assert list(sandbox.tmp.glob("teamprotocol-lo-*"))
        build.kill()  # SIGKILL: no Python code of the batch runs any more
        build.communicate(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert wait_for(lambda: not soffice_pids(sandbox.tmp), timeout=15), soffice_pids(sandbox.tmp)
    assert wait_for(lambda: not list(sandbox.tmp.glob("teamprotocol-lo-*")), timeout=15)
    rerun = sandbox.run("build", built[0], "--policy", "voorbeeld", "--out", out,
                        timeout=RUN_SECONDS)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_complete(out)


def test_stale_work_folder_of_a_dead_run_is_removed_at_start(sandbox, built):
    # A pid above the kernel's largest is surely no live process.
    dead = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    stale = sandbox.tmp / "teamprotocol-lo-oud"
    (stale / "run-1").mkdir(parents=True)
    (stale / "run-1" / "teamprotocol-x.pdf").write_bytes(b"%PDF met namen")
    (stale / "owner.pid").write_text(f"{dead} {socket.gethostname()}")
    two_hours_ago = time.time() - 7200  # a live converter touches its folder every list
    os.utime(stale, (two_hours_ago, two_hours_ago))
    young = sandbox.tmp / "teamprotocol-lo-jong"  # maybe another container's: left alone
    young.mkdir()
    (young / "owner.pid").write_text(f"{dead} {socket.gethostname()}")
    proc = sandbox.run("build", built[0], "--policy", "voorbeeld", "--out",
                       sandbox.root / "uitvoer", "--force", timeout=RUN_SECONDS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not stale.exists()
    assert young.is_dir()
    shutil.rmtree(young)
    assert sandbox.leftovers() == []


# --- SIGINT / SIGTERM ------------------------------------------------------------------------

@pytest.mark.parametrize(("signum", "returncode"), [(signal.SIGINT, 130),
                                                     (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_interrupted_batch_leaves_nothing_and_a_rerun_recovers(sandbox, built, signum,
                                                               returncode):
    out = _copy_out(built, sandbox.root / "uitvoer")
    before = tree_digest(out)
    build = sandbox.popen("build", built[0], "--policy", "voorbeeld",
                                         "--out", out, "--force", "--jobs", "1")
    try:
        converting = wait_for(lambda: soffice_pids(sandbox.tmp), timeout=60)
        assert converting, "soffice is niet gestart"
        build.send_signal(signum)
        stdout, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == returncode, stdout + stderr
    assert "Traceback" not in stdout + stderr
    # No soffice of this run survives, and its profiles and work folders are gone.
    assert wait_for(lambda: not soffice_pids(sandbox.tmp), timeout=10), \
        soffice_pids(sandbox.tmp)
    assert all(not Path(f"/proc/{pid}").exists() or _zombie(pid) for pid in converting)
    assert sandbox.leftovers() == []
    # Nothing lost: every file of the earlier complete build is still there, complete.
    assert_no_temp_files(out, interrupted=True)
    assert set(before) <= set(tree_digest(out))
    for team in TEAMS:
        assert verify_pdf(out / team / f"teamprotocol-{team}.pdf",
                          expect_text=ANNEX_HEADING) == []
    rerun = sandbox.run("build", built[0], "--policy", "voorbeeld",
                                       "--out", out, timeout=RUN_SECONDS)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_complete(out)


def test_interrupted_batch_keeps_the_finished_teams(sandbox, write_team, examples):
    """Ctrl-C after the first teams are finished: those are in the manifest, a rerun skips them.

    Deterministic, not timed: one soffice process converts the first list (4 teams, the
    batch's MIN_LIST); the batch finishes those four one after the other (verify, validate,
    stamp the contents into the .docx) before it looks at soffice again, so the other 3 PDFs
    cannot be in place yet. Once a second .docx is stamped the first team is surely finished;
    the batch is then frozen (SIGSTOP) so it cannot go on, interrupted, and let go.
    """
    forms, out = sandbox.root / "formulieren", sandbox.root / "uitvoer"
    for team in examples:
        write_team(forms, team)
    build = sandbox.popen("build", forms, "--policy", "voorbeeld", "--out", out, "--jobs", "1")
    try:
        assert wait_for(lambda: _stamped_docx(out) >= 2, timeout=120)
        os.kill(build.pid, signal.SIGSTOP)
        try:
            build.send_signal(signal.SIGINT)  # handled as soon as it runs again
        finally:
            os.kill(build.pid, signal.SIGCONT)
        stdout, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 130, stdout + stderr
    recorded = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["teams"]
    with_pdf = {p.parent.name for p in out.glob("*/teamprotocol-*.pdf")}
    assert recorded, "geen enkel team in het manifest"
    assert set(recorded) <= with_pdf < set(examples)  # only finished teams, not all
    for team, entry in recorded.items():
        assert verify_pdf(out / team / f"teamprotocol-{team}.pdf", expect_text=ANNEX_HEADING) == []
        for rel, digest in entry["outputs"].items():
            assert sha256_file(out / rel) == digest, rel
    rerun = sandbox.run("build", forms, "--policy", "voorbeeld", "--out", out,
                        timeout=RUN_SECONDS)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert (f"{len(examples)} teams: {len(examples) - len(recorded)} gebouwd, "
            f"{len(recorded)} ongewijzigd, 0 mislukt") in rerun.stdout
    assert_complete(out, teams=tuple(examples))


def _stamped_docx(out: Path) -> int:
    """How many teams' .docx already hold their stamped contents (a TOC field)."""
    stamped = 0
    for docx in out.glob("*/teamprotocol-*.docx"):
        with contextlib.suppress(OSError, zipfile.BadZipFile, KeyError), \
                zipfile.ZipFile(docx) as z:
            stamped += b" TOC \\o " in z.read("word/document.xml")
    return stamped


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


# --- read-only output folder -----------------------------------------------------------------

def _read_only_command(folder: Path, args: list[str]) -> list[str]:
    """`args` run with `folder` read-only: chmod for a normal user; for root (whom chmod does
    not stop) a read-only bind mount in a private mount namespace, invisible to others."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return args
    if not shutil.which("unshare"):
        pytest.skip("als root is een alleen-lezen map alleen te maken met unshare (ontbreekt)")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind '{folder}' '{folder}' "
                            f"&& mount -o remount,bind,ro '{folder}'"],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("als root zonder CAP_SYS_ADMIN is geen alleen-lezen map te maken: "
                    + probe.stderr.decode(errors="replace").strip())
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(folder), *args]


@pytest.mark.parametrize("new", [False, True], ids=["bestaand", "nieuw"])
def test_read_only_output_folder(sandbox, built, new):
    """--out is read-only, or is a new folder inside a read-only one (mkdir fails)."""
    folder = sandbox.root / "alleen-lezen"
    folder.mkdir()
    out = folder / "nieuw" if new else folder
    cmd = _read_only_command(folder, [TEAMPROTOCOL, "build", str(built[0]), "--policy", "voorbeeld",
                                                                 "--out", str(out),
                                      "--no-pdf"])
    try:
        proc = subprocess.run(cmd, cwd=sandbox.cwd, env=sandbox.env(), capture_output=True,
                              text=True, timeout=RUN_SECONDS, check=False)
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("Fout: ")]
    assert len(lines) == 1, proc.stderr
    assert "alleen-lezen" in lines[0]
    assert str(out) in lines[0]
    assert list(folder.rglob("*")) == []
    assert sandbox.leftovers() == []


# --- full output folder ----------------------------------------------------------------------

# bytes: the manifest and the overview (~45 kB with its script) fit, a .docx (~90 kB) does not
FSIZE = 60_000


def _small_files_only() -> None:
    """In the child: writes past FSIZE fail with EFBIG instead of killing it with SIGXFSZ."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE, FSIZE))


def test_full_output_folder_then_rerun(sandbox, built):
    out = sandbox.root / "uitvoer"
    proc = sandbox.run("build", built[0], "--policy", "voorbeeld", "--out", out, "--no-pdf",
                       preexec_fn=_small_files_only)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for team in TEAMS:
        assert "MISLUKT" in proc.stdout.split(f"  {team}", 1)[1].split("\n", 1)[0]
    assert proc.stdout.count("De schijf is vol") == len(TEAMS)
    # No half-written file: no docx or json at all, no temporary files.
    assert [p for p in out.rglob("*") if p.suffix in (".docx", ".json") and
            p.name not in ("manifest.json", RECORDS_NAME, POLICY_CACHE, HASHES_NAME)] == []
    assert_no_temp_files(out)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["teams"] == {}
    rerun = sandbox.run("build", built[0], "--policy", "voorbeeld",
                                       "--out", out, timeout=RUN_SECONDS)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_complete(out)
