"""The teams CSV (`team_id,team,afdeling,leidinggevende,contactvormen`) -> TeamIdentity list."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pipeline.catalogue import CONTACT_KINDS
from pipeline.errors import CsvError
from pipeline.files import is_reserved_name
from pipeline.models import TeamIdentity

COLUMNS = ("team_id", "team", "afdeling", "leidinggevende", "contactvormen")
MAX_CSV_BYTES = 5 * 1024 * 1024
TEAM_ID_MAX = 40
_TEAM_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TEAM_ID_HINT = ("Gebruik alleen kleine letters, cijfers, '-' en '_', begin met een letter of "
                 f"cijfer en gebruik hoogstens {TEAM_ID_MAX} tekens, bijvoorbeeld 'burgerzaken' "
                 "of 'wijkteam-noord'. De team_id wordt de naam van de map met formulieren")


def team_id_problem(team_id: str) -> str | None:
    """Why `team_id` cannot be a folder name on every system, or None when it is fine."""
    if not team_id:
        return "de team_id is leeg"
    if len(team_id) > TEAM_ID_MAX:
        return f"de team_id is langer dan {TEAM_ID_MAX} tekens"
    if not _TEAM_ID.fullmatch(team_id):
        return "de team_id bevat tekens die niet in een mapnaam passen"
    if is_reserved_name(team_id):
        return "de team_id is een naam die Windows niet toestaat voor een map"
    return None


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CsvError("het bestand kan niet worden gelezen", file=path,
                       hint="Controleer de naam en of u het bestand mag lezen") from e
    if len(data) > MAX_CSV_BYTES:
        raise CsvError("het bestand is groter dan 5 MB", file=path,
                       hint="Een lijst met teams is veel kleiner; kies het juiste bestand")
    # Excel's "Unicode-tekst" is UTF-16 with a byte-order mark (and tabs): read it as it is,
    # instead of decoding it as cp1252 into a header that has none of our columns.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise CsvError("het bestand lijkt UTF-16 maar is beschadigd", file=path,
                           hint="Sla de lijst in Excel op als 'CSV UTF-8'") from e
    if b"\x00" in data[:4096]:
        raise CsvError("het bestand is UTF-16 of een ander formaat zonder byte-order-teken, "
                       "geen tekst in UTF-8", file=path,
                       hint="Sla de lijst in Excel op als 'CSV UTF-8'")
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves 'CSV' as cp1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError("het bestand is geen tekstbestand", file=path,  # pragma: no cover
                   hint="Sla de lijst op als CSV (UTF-8)")


_DELIMITERS = {",": "komma's", ";": "puntkomma's", "\t": "tabs"}


def _delimiter(text: str) -> str:
    """`,`, `;` (Dutch Excel) or a tab (Excel's "Unicode-tekst"): whichever splits the header
    into the most of our columns."""
    first = text.splitlines()[0] if text.strip() else ""
    return max(_DELIMITERS, key=lambda d: (sum(c.strip().lower() in COLUMNS
                                               for c in first.split(d)), first.count(d)))


def read_teams_csv(path: Path) -> list[TeamIdentity]:
    """Read the teams CSV; any bad row raises CsvError naming the line and what to do."""
    path = Path(path)
    text = _decode(path)
    if not text.strip():
        raise CsvError("het bestand is leeg", file=path,
                       hint="Zet op de eerste regel de kolommen " + ",".join(COLUMNS))
    delim = _delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header = [h.strip().lower() for h in next(rows)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CsvError(f"regel 1: de kolom(men) {', '.join(missing)} ontbreken (de kolommen "
                       f"zijn gescheiden door {_DELIMITERS[delim]})", file=path,
                       hint="Zet op de eerste regel de kolommen " + ",".join(COLUMNS) +
                       ", gescheiden door komma's of puntkomma's")
    index = {c: header.index(c) for c in COLUMNS}
    teams: list[TeamIdentity] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = rows.line_num  # counts physical lines, also inside quoted multi-line cells
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise CsvError(f"regel {line}: {len(row)} kolommen in plaats van {len(header)}",
                           file=path, hint=f"Scheid de kolommen met '{delim}' en zet tekst met "
                           f"een '{delim}' erin tussen aanhalingstekens")
        if len(row) > len(header):
            # Never dropped: `…;balie;digitaal` in a ';' file, or a name with an unquoted
            # comma, would otherwise lose a contact type or shift every column after it.
            other = "," if delim == ";" else ";"
            raise CsvError(f"regel {line}: {len(row)} kolommen in plaats van {len(header)}; "
                           f"staat er een '{delim}' in een naam of tussen de contactvormen?",
                           file=path, hint=f"Zet tekst met een '{delim}' erin tussen "
                           f"aanhalingstekens (\"Wijk{delim} Noord\"), en scheid contactvormen "
                           f"met '{other}' of zet ze tussen aanhalingstekens")
        values = {c: row[i].strip() for c, i in index.items()}
        problem = team_id_problem(values["team_id"])
        if problem:
            raise CsvError(f"regel {line}: {problem}", file=path, field="team_id",
                           hint=_TEAM_ID_HINT)
        if values["team_id"] in seen:
            raise CsvError(f"regel {line}: de team_id komt al voor op regel "
                           f"{seen[values['team_id']]}", file=path, field="team_id",
                           hint="Geef elk team een eigen team_id")
        seen[values["team_id"]] = line
        for col in ("team", "afdeling", "leidinggevende"):
            if not values[col]:
                raise CsvError(f"regel {line}: de kolom {col} is leeg", file=path, field=col,
                               hint="Vul de kolom in; deze gegevens komen op de formulieren")
        kinds = [k.strip().lower() for k in re.split(r"[;,]", values["contactvormen"]) if k.strip()]
        unknown = [k for k in kinds if k not in CONTACT_KINDS]
        if unknown:
            raise CsvError(f"regel {line}: onbekende contactvorm '{unknown[0]}'", file=path,
                           field="contactvormen",
                           hint="Kies uit " + ", ".join(CONTACT_KINDS) + ", gescheiden door ';'")
        teams.append(TeamIdentity(team_id=values["team_id"], team=values["team"],
                                  afdeling=values["afdeling"],
                                  leidinggevende=values["leidinggevende"],
                                  contactvormen=tuple(dict.fromkeys(kinds))))
    if not teams:
        raise CsvError("het bestand bevat geen teams", file=path,
                       hint="Zet onder de kopregel één regel per team")
    return teams
