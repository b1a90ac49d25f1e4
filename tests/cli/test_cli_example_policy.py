"""The example organisation cannot be adopted by accident (issue 21, item 6), through the real
command on `init`'s own copy: while the policy file still holds the example's archive code,
logo, addresses or texts, adopted teams fail naming them; made the organisation's own, they
are built. The embedded example chosen on purpose (`--policy voorbeeld`) is not refused."""

from __future__ import annotations

import pytest
from helpers.batch import run_cli
from PIL import Image

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses

ADOPTED = ("burgerzaken", "handhaving")  # the example teams with status vastgesteld


def _status_lines(stdout: str) -> dict[str, str]:
    return {parts[0]: parts[1] for line in stdout.splitlines()
            if len(parts := line.split()) == 2 and parts[1] in ("gebouwd", "MISLUKT")}


def test_inits_policy_adopts_nothing_until_it_is_the_organisations_own(tmp_path):
    org = tmp_path / "org"
    assert run_cli("init", org, cwd=tmp_path).returncode == 0
    policy, forms = org / "beleid.yaml", org / "formulieren"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("organisation: Gemeente Lindenhoven",
                                   "organisation: Gemeente Zuidwolde", 1), encoding="utf-8")
    args = ("build", forms, "--policy", policy, "--out", org / "uit", "--no-pdf")

    proc = run_cli(*args, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    statuses = _status_lines(proc.stdout)
    assert {t for t, s in statuses.items() if s == "MISLUKT"} == set(ADOPTED), statuses
    assert "het beleid is nog (deels) het voorbeeld van de verzonnen Gemeente Lindenhoven" in out
    for marker in ("de archiefcode gm0000 (archive.tooi)", "het voorbeeldlogo",
                   "adressen op @lindenhoven.example", "teksten over Lindenhoven"):
        assert marker in out, marker
    assert not (org / "uit" / "archief").exists() or not any((org / "uit" / "archief").iterdir())

    # Made the organisation's own: its code, its logo, its addresses and texts.
    text = policy.read_text(encoding="utf-8").replace("tooi: gm0000", "tooi: gm0363")
    text = text.replace("lindenhoven.example", "zuidwolde.nl").replace("Lindenhoven", "Zuidwolde")
    policy.write_text(text.replace("lindenhoven", "zuidwolde"), encoding="utf-8")
    Image.new("RGB", (300, 100), (20, 60, 110)).save(org / "logo.png")
    proc = run_cli(*args, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "voorbeeld van de verzonnen" not in out
    assert all(_status_lines(proc.stdout)[t] == "gebouwd" for t in ADOPTED)


def test_the_embedded_example_chosen_on_purpose_is_not_refused(tmp_path):
    proc = run_cli("build", "--out", tmp_path / "uit", "--no-pdf", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "voorbeeld van de verzonnen" not in proc.stdout + proc.stderr
