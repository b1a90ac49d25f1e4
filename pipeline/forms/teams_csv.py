"""The teams CSV (`team_id,team,afdeling,leidinggevende,contactvormen`) -> TeamIdentity list.

The file is decoded and split here (Excel's encodings and separators); each row is checked by
the pydantic model `TeamRow`, whose errors are put in Dutch by the policy's translator.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from pipeline.catalogue import CONTACT_KINDS
from pipeline.errors import CsvError, Problem, several
from pipeline.files import is_reserved_name
from pipeline.models import TeamIdentity
from pipeline.policy.messages import DutchValueError, validation_problems

COLUMNS = ("team_id", "team", "afdeling", "leidinggevende", "contactvormen")
# May be there: the team id of last round, for a team that was renamed (`forms --from`).
OPTIONAL_COLUMNS = ("vorige_team_id",)
MAX_CSV_BYTES = 5 * 1024 * 1024
TEAM_ID_MAX = 40
# A name goes into each form's title property, which Word (and python-docx) cap at 255
# characters after "Teamformulier veilige publieke dienstverlening – " (49); a longer name
# crashed `forms` with a traceback (issue 21). 120 leaves room and fits any real team.
NAME_MAX = 120
_TEAM_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TEAM_ID_HINT = ("Gebruik alleen kleine letters, cijfers, '-' en '_', begin met een letter of "
                 f"cijfer en gebruik hoogstens {TEAM_ID_MAX} tekens, bijvoorbeeld 'burgerzaken' "
                 "of 'wijkteam-noord'. De team_id wordt de naam van de map met formulieren")
_ROW_HINT = "Verbeter de regel in de lijst met teams en voer de opdracht opnieuw uit"


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


class TeamRow(BaseModel):
    """One team as the teams CSV lists it (the example teams file too): the team id usable as
    a folder name on every system, the names filled in, the contact types the catalogue's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    team_id: str
    team: str
    # The Dutch column names a coordinator types are the aliases.
    department: str = Field(alias="afdeling")
    team_lead: str = Field(alias="leidinggevende")
    contact_kinds: tuple[str, ...] = Field(default=(), alias="contactvormen")
    previous_team_id: str = Field(default="", alias="vorige_team_id")

    @field_validator("team_id")
    @classmethod
    def _folder_name(cls, value: str) -> str:
        if why := team_id_problem(value):
            raise DutchValueError(why, _TEAM_ID_HINT)
        return value

    @field_validator("previous_team_id")
    @classmethod
    def _previous_folder_name(cls, value: str) -> str:
        if value and (why := team_id_problem(value)):
            raise DutchValueError(why.replace("de team_id", "de vorige_team_id"),
                                  "Vul de team_id in die het team vorige ronde had (de naam "
                                  "van zijn map), of laat de kolom leeg")
        return value

    @field_validator("team", "department", "team_lead")
    @classmethod
    def _filled(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            column = cls.model_fields[info.field_name or ""].alias or info.field_name
            raise DutchValueError(f"de kolom {column} is leeg",
                                  "Vul de kolom in; deze gegevens komen op de formulieren")
        if len(value) > NAME_MAX:
            column = cls.model_fields[info.field_name or ""].alias or info.field_name
            raise DutchValueError(f"de kolom {column} is langer dan {NAME_MAX} tekens "
                                  f"({len(value)})", f"Kort de naam in tot hoogstens {NAME_MAX} "
                                  "tekens; de naam staat in de titel van elk formulier")
        return value

    @field_validator("contact_kinds", mode="before")
    @classmethod
    def _contact_kinds(cls, value: object) -> object:
        """A CSV cell (`balie;digitaal`, `;` or `,` between them, any case) or a list; each a
        contact type of the catalogue, kept once."""
        if isinstance(value, str):
            kinds = [k.strip().lower() for k in re.split(r"[;,]", value) if k.strip()]
            separated = ", gescheiden door ';'"
        elif isinstance(value, list | tuple):
            kinds, separated = list(value), ""
        else:
            return value  # not a list: pydantic's own error says so
        if not kinds and isinstance(value, str):
            # An empty cell wrote a team with no contact-type form at all, silently (the
            # example teams' YAML may still list none on purpose: `contactvormen: []`).
            raise DutchValueError("de kolom contactvormen is leeg",
                                  "Vul minstens één contactvorm in: " + ", ".join(CONTACT_KINDS)
                                  + separated)
        unknown = [k for k in kinds if k not in CONTACT_KINDS]
        if unknown:
            raise DutchValueError(f"onbekende contactvorm '{unknown[0]}'",
                                  "Kies uit " + ", ".join(CONTACT_KINDS) + separated)
        return tuple(dict.fromkeys(kinds))

    def identity(self) -> TeamIdentity:
        """The team as every stage knows it."""
        return TeamIdentity(**self.model_dump())


def _row_problems(exc: ValidationError, path: Path, line: int) -> list[Problem]:
    """pydantic's errors for the row on `line` as Problems in Dutch, naming file and column."""
    return [Problem(file=str(path), field=column or None, message=f"regel {line}: {message}",
                    hint=hint)
            for column, message, hint in validation_problems(exc, TeamRow, fix_hint=_ROW_HINT)]


def _row_error(problems: list[Problem], path: Path, line: int) -> CsvError:
    """One row's problems as one error; several are all named on the one line printed."""
    if len(problems) == 1:
        return CsvError(*problems)
    prefix = f"regel {line}: "
    return CsvError(*problems, summary=several(
        problems, f"{prefix}{len(problems)} fouten: ", file=str(path), hint=_ROW_HINT,
        strip=prefix))


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
    index = {c: header.index(c) for c in (*COLUMNS, *OPTIONAL_COLUMNS) if c in header}
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
        problems: list[Problem] = []
        if values.get("vorige_team_id") == values["team_id"]:
            values["vorige_team_id"] = ""  # not renamed
        if values["team_id"] in seen:
            problems.append(Problem(file=str(path), field="team_id", message=f"regel {line}: "
                                    f"de team_id komt al voor op regel {seen[values['team_id']]}",
                                    hint="Geef elk team een eigen team_id"))
        try:
            team = TeamRow.model_validate(values)
        except ValidationError as e:
            problems += _row_problems(e, path, line)
        if problems:
            raise _row_error(problems, path, line)
        seen[team.team_id] = line
        teams.append(team.identity())
    if not teams:
        raise CsvError("het bestand bevat geen teams", file=path,
                       hint="Zet onder de kopregel één regel per team")
    return teams
