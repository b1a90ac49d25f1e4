"""A real install: the wheel, in a fresh virtual environment, builds the example protocols.

A checkout finds files next to the code by accident; an installed wheel only has what the
package declares as package data. This builds the wheel, installs it (not editable) into a
new venv outside the checkout and runs its `teamprotocol` command from an unrelated folder.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and installs it into a new venv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with the project's wheel installed (no editable link)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "--quiet", "-w", str(dist), str(ROOT)], check=True, cwd=base)
    wheel = next(dist.glob("teamprotocol-*.whl"))
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    # The dependencies come from the test environment's site-packages (a plain path: its .pth
    # files, such as the checkout's editable install, are not processed there); the project
    # itself comes from the wheel only.
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
           "--force-reinstall", "--ignore-installed", str(wheel)]
    subprocess.run(pip, check=True, cwd=base)
    return env_dir / "bin"


def test_the_wheel_carries_the_template_and_the_defaults(installed):
    # The templates live in the checkout's top-level templates/ and are installed as the package
    # pipeline.templates (setup.py): protocol, alarm card and overview.
    code = ("import pipeline, pipeline.render as r, pipeline.policy as p, pipeline.templates as t; "
            "from importlib import resources; "
            "print(pipeline.__file__); print(t.__file__); print(r.TEMPLATE.is_file()); "
            "print(r.CARD_TEMPLATE.is_file()); "
            "print((resources.files('pipeline.templates') / 'overzicht.html.j2').is_file()); "
            "print(p.default_policy_path().is_file())")
    out = subprocess.run([str(installed / "python"), "-c", code], check=True, cwd="/",
                         capture_output=True, text=True).stdout.split()
    assert not out[0].startswith(str(ROOT)), "the package came from the checkout, not the wheel"
    assert not out[1].startswith(str(ROOT)), "the templates came from the checkout"
    assert out[2:] == ["True", "True", "True", "True"]


@pytest.mark.libreoffice
def test_the_installed_command_builds_the_example_protocols(installed, tmp_path):
    out = tmp_path / "uitvoer"
    run = subprocess.run([str(installed / "teamprotocol"), "build", "--out", str(out)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "niet gevonden" not in run.stdout + run.stderr
    pdfs = sorted(out.glob("*/teamprotocol-*.pdf"))
    docx = sorted(out.glob("*/teamprotocol-*.docx"))
    assert len(pdfs) == len(docx) == 7
    assert (out / "manifest.json").is_file()
    # The adopted examples are archived with MDTO sidecars: the schema is package data too.
    archived = sorted(out.glob("archief/*.pdf"))
    assert archived
    for pdf in archived:
        stem = pdf.name.removesuffix(".pdf")
        assert (out / "archief" / f"{stem}.mdto.xml").is_file()
        assert (out / "archief" / f"{stem}.pdf.bestand.mdto.xml").is_file()
    assert (out / "agenda.ics").is_file()
