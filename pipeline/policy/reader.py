"""The policy file read as untrusted YAML: size-limited, no aliases or duplicate keys, and the
usual mistakes (a Windows path in double quotes, a quote left open) named in Dutch."""

from __future__ import annotations

import re
from collections.abc import Hashable
from importlib import resources
from pathlib import Path

import yaml

from pipeline.errors import PolicyError, TeamprotocolError, os_reason

# A policy file comes from a coordinator's editor or from the mail, so it is read as untrusted
# input. Every problem becomes one PolicyError in Dutch: file, key, what, what to do.

MAX_POLICY_BYTES = 1_000_000  # the default policy is ~30 kB; a megabyte is a mistake or worse
FIX_HINT = "Pas het beleidsbestand aan, of begin opnieuw met 'teamprotocol init'"


class _Refused(yaml.MarkedYAMLError):
    """A YAML construct we refuse on purpose, with its own Dutch hint."""

    def __init__(self, problem: str, mark: yaml.Mark, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


_KEY_LINE = re.compile(r"( *)(?:- )?[A-Za-z_][\w.-]*:(?: |$)")


def _swallows_keys(buffer: str, start: yaml.Mark, end: yaml.Mark) -> bool:
    """Whether the quoted text from `start` to `end` runs over a line that is a key of the
    structure around it: indented no deeper than the line the quote opens on. A long text
    wrapped inside quotes (as yaml.safe_dump writes it) is indented deeper and is fine."""
    line_start = buffer.rfind("\n", 0, start.index) + 1
    owner = len(buffer[line_start:start.index]) - len(buffer[line_start:start.index].lstrip(" "))
    for line in buffer[start.index:end.index].split("\n")[1:]:
        m = _KEY_LINE.match(line)
        if m and len(m.group(1)) <= owner:
            return True
    return False
_RUNAWAY_HINT = "Sluit de tekst op deze regel af met hetzelfde aanhalingsteken"


def _runaway_message(style: str, end_line: int) -> str:
    return (f"het aanhalingsteken ({style}) dat hier begint, wordt pas op regel {end_line} "
            "gesloten, na regels met sleutels erin")


def _runaway_quote(text: str) -> tuple[yaml.Mark, str] | None:
    """The start of a quoted text that runs over lines holding keys, found by scanning alone.

    When the swallowed lines break the structure, the parser fails far below the quote
    (measured: 119 lines further, "expected <block end>"); the tokens before it show where.
    """
    try:
        for token in yaml.scan(text, Loader=_NoAliasLoader):  # noqa: S506 - a SafeLoader
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and _swallows_keys(text, token.start_mark, token.end_mark)):
                return token.start_mark, _runaway_message(token.style,
                                                          token.end_mark.line + 1)
    except yaml.YAMLError:
        return None
    return None


class _Guards:
    """The constructor's guards, shared by the C and the pure-Python loader: no duplicate key,
    no quote that swallows the keys after it, no date that does not exist. `source` is the
    text being read: libyaml's marks carry no buffer to cut a line from."""

    source = ""

    def construct_scalar(self, node):
        # A quote not closed on its line swallows the lines after it up to the next quote,
        # keys included, and the error came far below (a key "missing"). A quoted text that
        # runs over a line holding `key: ` is that mistake: report it where the quote opens.
        if (node.style in ('"', "'") and node.end_mark.line > node.start_mark.line
                and _swallows_keys(self.source, node.start_mark, node.end_mark)):
            raise _Refused(_runaway_message(node.style, node.end_mark.line + 1),
                           node.start_mark, _RUNAWAY_HINT)
        return super().construct_scalar(node)  # type: ignore[misc]

    def construct_yaml_timestamp(self, node):
        # PyYAML builds `2027-02-30` with datetime.date() and lets its ValueError out, which
        # crashed build, forms and check with a traceback (issue 21, item 11).
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except ValueError:
            mark = node.start_mark
            line = self.source[self.source.rfind("\n", 0, mark.index) + 1:mark.index]
            key = _KEY_LINE.match(line)
            named = f"bij '{key.group(0).strip(' -:')}' " if key else ""
            raise _Refused(f"{named}de datum '{node.value}' bestaat niet", mark,
                           "Schrijf een bestaande datum als JJJJ-MM-DD, bijvoorbeeld "
                           "2027-02-28") from None

    def construct_mapping(self, node, deep=False):
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if isinstance(key, Hashable) and key in seen:
                raise _Refused(f"de sleutel '{key}' staat er twee keer", key_node.start_mark,
                               "Houd één van de twee over; anders telt alleen de laatste")
            seen.add(key if isinstance(key, Hashable) else id(key))
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _NoAliasLoader(_Guards, yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses aliases and duplicate keys.

    An alias (`*name`) lets a few hundred bytes expand to billions of nodes ("billion
    laughs"); a policy never needs one, so the first alias stops the parse before any
    expansion. A duplicate key would silently drop the first value: a typo must not win.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.source = stream

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("een verwijzing (*) naar een anker is niet toegestaan",
                           event.start_mark, "Schrijf de waarde voluit in plaats van een anker "
                           "(&) en verwijzing (*) te gebruiken")
        return super().compose_node(parent, index)


class _Alias(Exception):
    """The C loader met an alias: the pure-Python loader reads the text again to say where."""


class _FastLoader(_Guards, yaml.CSafeLoader):
    """The same guards on libyaml's C parser (the example policy in ~4 ms instead of ~73 ms).

    libyaml composes in C, with no hook per node: an alias there is a node reached twice in
    the composed graph (which shares it, so nothing has expanded yet). Any refusal or error
    is read again by `_NoAliasLoader`, so every message and position stays PyYAML's.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.source = stream

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        seen: set[int] = set()
        todo = [node]
        while todo:
            n = todo.pop()
            if id(n) in seen:
                raise _Alias
            seen.add(id(n))
            if isinstance(n, yaml.MappingNode):
                todo += [part for pair in n.value for part in pair]
            elif isinstance(n, yaml.SequenceNode):
                todo += n.value
        return self.construct_document(node)


# SafeLoader looks constructors up by tag in a table, not by method name: register ours.
def _timestamp(loader: _NoAliasLoader | _FastLoader, node: yaml.Node) -> object:
    return loader.construct_yaml_timestamp(node)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _load(text: str) -> object:
    """The YAML `text` as Python values: libyaml's loader, and on any refusal or error
    PyYAML's own, which raises it with the position and words the messages below expect."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
    except (yaml.YAMLError, _Alias):
        pass
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def read_yaml(path: Path, *, max_bytes: int = MAX_POLICY_BYTES,
              error: type[TeamprotocolError] = PolicyError) -> object:
    """Parse one YAML file safely: size limit, strict UTF-8, no aliases, no duplicate keys."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise error("dit is geen bestand", file=path, hint="Geef het pad van een YAML-bestand")
        if size > max_bytes:
            raise error(f"het bestand is te groot ({size // 1000} kB, maximaal "
                        f"{max_bytes // 1000} kB)", file=path,
                        hint="Controleer of dit het juiste bestand is")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise error("het bestand bestaat niet", file=path,
                    hint="Controleer het pad, of maak een beleid met 'teamprotocol init'") from None
    except OSError as e:
        raise error(f"het bestand kan niet worden gelezen ({os_reason(e)})", file=path,
                    hint="Controleer of het bestand bestaat en leesbaar is") from e
    if len(raw) > max_bytes:
        raise error(f"het bestand is te groot (maximaal {max_bytes // 1000} kB)", file=path,
                    hint="Controleer of dit het juiste bestand is")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error(f"het bestand is geen UTF-8-tekst (regel {line})", file=path,
                    hint="Sla het bestand op als UTF-8 (in Kladblok: Opslaan als, codering "
                         "UTF-8)") from None
    try:
        return _load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        if isinstance(e, _Refused):
            raise error(where + (e.problem or ""), file=path, hint=e.hint) from None
        runaway = _runaway_quote(text)
        if runaway is not None:
            mark, message = runaway
            raise error(f"regel {mark.line + 1}, kolom {mark.column + 1}: {message}", file=path,
                        hint=_RUNAWAY_HINT) from None
        known = _known_yaml_mistake(e)
        if known is not None:
            mark = e.context_mark if "quoted scalar" in (e.context or "") else mark
            where = f"regel {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
            raise error(where + known[0], file=path, hint=known[1]) from None
        # PyYAML's own words are English: keep them in brackets, after a Dutch summary.
        raise error(f"{where}ongeldige YAML ({e.problem or e.context})", file=path,
                    hint="Controleer de inspringing, dubbele punten en aanhalingstekens op die "
                         "plek") from None
    except yaml.YAMLError as e:
        raise error(f"ongeldige YAML ({e})", file=path, hint=FIX_HINT) from None


def _known_yaml_mistake(e: yaml.MarkedYAMLError) -> tuple[str, str] | None:
    """(what, what to do) in Dutch for the YAML mistakes a coordinator makes, or None.

    PyYAML's own words are English, and for a quote never closed it points at the end of
    the file: the quote's own line (the context mark) is where to look.
    """
    problem, context = e.problem or "", e.context or ""
    if "'\\t'" in problem or "\t" in problem:
        return ("hier staat een tab; YAML springt alleen in met spaties",
                "Vervang de tab door spaties (stel uw editor in op spaties in plaats van tabs)")
    if "quoted scalar" in context and "end of stream" in problem:
        return ("het aanhalingsteken dat hier begint, wordt nergens gesloten",
                "Sluit de tekst op deze regel af met hetzelfde aanhalingsteken")
    if "escape" in problem:
        return ("tussen dubbele aanhalingstekens begint '\\' een speciale code (zoals in een "
                "Windows-pad C:\\map)", "Schrijf het pad met '/' (C:/map/logo.png) of zet de "
                "tekst tussen enkele aanhalingstekens ('C:\\map\\logo.png')")
    return None


def default_policy_path() -> Path:
    """The embedded example policy (`pipeline/defaults/policy.yaml`) as a file path."""
    return Path(str(resources.files("pipeline") / "defaults" / "policy.yaml"))
