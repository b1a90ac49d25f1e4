"""The validated policy kept beside the manifest (batch/shared.py, POLICY_CACHE): used only
for the same policy file, and the protocols built with it are the same bytes."""

from __future__ import annotations

import shutil

import pytest
from helpers.batch import build, required_answers, write_team

from pipeline.batch import BuildOptions
from pipeline.batch.shared import POLICY_CACHE, cached_policy
from pipeline.files import sha256_file
from pipeline.policy import default_policy_path, load_policy

pytestmark = pytest.mark.slow  # three .docx builds of one team


def test_the_cached_policy_is_the_policy_and_only_for_its_own_file(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uitvoer"
    write_team(forms, "alfa", required_answers())
    policy_file = tmp_path / "beleid.yaml"
    shutil.copy(default_policy_path(), policy_file)
    shutil.copy(default_policy_path().with_name("logo.png"), tmp_path / "logo.png")
    opts = BuildOptions(forms_dir=forms, out_dir=out, policy_path=policy_file, pdf=False)
    build(forms, out, policy_path=policy_file, pdf=False)
    assert (out / POLICY_CACHE).is_file()
    assert cached_policy(opts, sha256_file(policy_file)) == load_policy(policy_file)
    docx = (out / "alfa" / "teamprotocol-alfa.docx").read_bytes()
    # Built again from the cache: the same protocol, to the byte.
    again = build(forms, out, policy_path=policy_file, pdf=False, force=True)
    assert [r.status for r in again.results] == ["gebouwd"]
    assert (out / "alfa" / "teamprotocol-alfa.docx").read_bytes() == docx
    # Another policy file: the cache does not answer for it, and the build reads the file.
    policy_file.write_text(policy_file.read_text(encoding="utf-8").replace(
        "Lindenhoven", "Lindendaal"), encoding="utf-8")
    assert cached_policy(opts, sha256_file(policy_file)) is None
    build(forms, out, policy_path=policy_file, pdf=False)
    assert cached_policy(opts, sha256_file(policy_file)) == load_policy(policy_file)
    assert "Lindendaal" in load_policy(policy_file).branding.organisation
