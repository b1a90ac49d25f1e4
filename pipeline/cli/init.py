"""`teamprotocol init`: an editable copy of the example policy and teams."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import click_nl
from pipeline.cli.common import command, echo_replaced
from pipeline.errors import UsageError
from pipeline.text import plural


@command()
@click.argument("target", metavar="MAP", type=click_nl.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Bestaande bestanden vervangen; de oude komen in een reservekopie.")
def init(target: Path, force: bool) -> None:
    """Schrijf een bewerkbare kopie van het voorbeeldbeleid en de voorbeeldteams naar MAP.

    Daarna: pas MAP/beleid.yaml aan en bouw de voorbeeldteams als proef met
    'teamprotocol build MAP/formulieren --policy MAP/beleid.yaml --out MAP/proefprotocollen'.
    """
    from pipeline.examples import write_example_setup
    from pipeline.forms.publish import commit, existing, staging

    with staging(target) as stage:
        policy_file, forms_dir = write_example_setup(stage)
        replaced = existing(stage, target)
        if replaced and not force:
            shown = ", ".join(str(p) for p in replaced[:3])
            more = f" en nog {len(replaced) - 3}" if len(replaced) > 3 else ""
            raise UsageError(
                f"de map bevat al {plural(len(replaced), 'bestand', 'bestanden')} die init zou "
                "vervangen: "
                f"{shown}{more}", file=target,
                hint="Kies een lege map, of gebruik --force: de bestaande bestanden komen dan "
                     "in een reservekopie")
        done = commit(stage, target, replace=True)
    policy_file, forms_dir = target / policy_file.name, target / forms_dir.name
    echo_replaced(done)
    count = sum(1 for p in done.written + done.replaced if p.suffix == ".docx")
    click.echo(f"Geschreven: {policy_file} en {count} formulieren in {forms_dir}.")
    click.echo(f"Proef bouwen: teamprotocol build {forms_dir} --policy {policy_file} "
               f"--out {target / 'proefprotocollen'}")
