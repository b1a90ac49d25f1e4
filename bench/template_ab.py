"""A/B of two protocol templates: render ms and soffice CPU seconds per document.

    .venv/bin/python bench/template_ab.py --old /tmp/old.docx --new templates/protocol.docx

Renders the same synthetic protocols with both templates, then converts each set to PDF/A
with one plain `soffice --convert-to` over the whole list (its own warm profile per template),
in alternating rounds. CPU seconds (user + system of soffice and its soffice.bin, from
getrusage(RUSAGE_CHILDREN)) rather than wall time, so that other work on the machine matters
less. The page count of every PDF is compared between the two sets.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader
from synth import write_synthetic_forms

from pipeline.batch import assemble
from pipeline.forms.folder import read_team_folder
from pipeline.models import Protocol
from pipeline.pdf.soffice import PDFA_OPTIONS, filter_argument, find_soffice
from pipeline.policy import Policy, default_policy_path, load_policy, resolve_logo
from pipeline.render import render_protocol

OUT = Path(__file__).resolve().parent / "out" / "template-ab"  # git-ignored scratch space
TIMEOUT = 600.0  # seconds for one list conversion


def children_cpu() -> float:
    """User plus system CPU seconds of all reaped children (soffice and its soffice.bin)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def convert_list(docs: list[Path], profile: Path, outdir: Path) -> tuple[float, float]:
    """One soffice process converting `docs` to PDF/A; (CPU seconds, wall seconds)."""
    cmd = [find_soffice(), "--headless", "--norestore",
           f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", filter_argument(PDFA_OPTIONS), "--outdir", str(outdir),
           *map(str, docs)]
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=TIMEOUT, check=True)
    return children_cpu() - cpu, time.perf_counter() - start


def protocols(forms_dir: Path, teams: int, seed: int
              ) -> tuple[list[Protocol], Policy, Path | None]:
    """Synthetic teams read and assessed as the batch does: protocols, policy and logo."""
    write_synthetic_forms(forms_dir, teams, seed=seed)
    policy = load_policy(None)
    logo = resolve_logo(policy, default_policy_path())
    found = [assemble(policy, read_team_folder(folder)[0])
             for folder in sorted(p for p in forms_dir.iterdir() if p.is_dir())]
    return found, policy, logo


def render_all(name: str, template: Path, found: list[Protocol], policy: Policy,
               logo: Path | None, dest: Path) -> tuple[float, list[Path]]:
    """Render every protocol with `template` into `dest`; (mean seconds per render, files)."""
    dest.mkdir(parents=True, exist_ok=True)
    seconds, files = 0.0, []
    for n, protocol in enumerate(found):
        start = time.perf_counter()
        data = render_protocol(protocol, policy, template=template, logo=logo)
        seconds += time.perf_counter() - start
        path = dest / f"{name}-{n:03d}.docx"
        path.write_bytes(data)
        files.append(path)
    return seconds / len(found), files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="template A")
    parser.add_argument("--new", type=Path, required=True, help="template B")
    parser.add_argument("--teams", type=int, default=30, help="protocols per set (default 30)")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    shutil.rmtree(OUT, ignore_errors=True)
    templates = {"old": args.old.resolve(), "new": args.new.resolve()}
    for name, path in templates.items():
        print(f"{name}: {path} ({path.stat().st_size} bytes)")

    found, policy, logo = protocols(OUT / "forms", args.teams, args.seed)
    render_ms: dict[str, list[float]] = {name: [] for name in templates}
    files: dict[str, list[Path]] = {}
    for _ in range(args.rounds):
        for name, path in templates.items():
            per_doc, files[name] = render_all(name, path, found, policy, logo, OUT / name)
            render_ms[name].append(per_doc * 1000)

    cpu: dict[str, list[float]] = {name: [] for name in templates}
    wall: dict[str, list[float]] = {name: [] for name in templates}
    for name, docs in files.items():  # warm each profile outside the timed rounds
        convert_list(docs[:1], OUT / f"profile-{name}", OUT / "warmup")
    for r in range(args.rounds):
        order = list(templates) if r % 2 == 0 else list(reversed(templates))
        for name in order:
            used, took = convert_list(files[name], OUT / f"profile-{name}", OUT / f"pdf-{name}")
            cpu[name].append(used / len(files[name]))
            wall[name].append(took / len(files[name]))

    pages = {name: [len(PdfReader(OUT / f"pdf-{name}" / f"{d.stem}.pdf").pages) for d in docs]
             for name, docs in files.items()}
    print(f"\n{args.teams} protocols, {args.rounds} rounds, alternating; median (all rounds)")
    print(f"{'template':<8} {'render ms/doc':>28} {'soffice CPU s/doc':>32} {'wall s/doc':>11}")
    for name in templates:
        print(f"{name:<8} {statistics.median(render_ms[name]):8.1f} "
              f"({' '.join(f'{v:.1f}' for v in render_ms[name]):>18}) "
              f"{statistics.median(cpu[name]):8.3f} "
              f"({' '.join(f'{v:.3f}' for v in cpu[name]):>21}) "
              f"{statistics.median(wall[name]):11.3f}")
    old, new = (statistics.median(cpu[n]) for n in templates)
    print(f"soffice CPU new/old {new / old:.3f} ({(new - old) / old:+.1%}); pages "
          f"{sum(pages['old'])} old, {sum(pages['new'])} new, "
          f"{sum(a != b for a, b in zip(pages['old'], pages['new'], strict=True))} differ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
