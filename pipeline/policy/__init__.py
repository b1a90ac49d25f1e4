"""The organisation policy: the frame every team protocol inherits.

`model` is the policy as pydantic models, `reader` reads the YAML file as untrusted input,
`messages` turns validation errors into Dutch, `logo` checks the logo; this module loads a
policy and writes the example one. Everything a stage needs is importable from here.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import ValidationError

from pipeline import terms
from pipeline.errors import PolicyError, os_reason
from pipeline.files import write_atomically
from pipeline.policy.example import policy_texts
from pipeline.policy.logo import MAX_LOGO_BYTES, MAX_LOGO_PIXELS, resolve_logo
from pipeline.policy.messages import (
    MAX_REPORTED,
    DutchValueError,
    policy_error,
    policy_problems,
    validation_problems,
)
from pipeline.policy.model import (
    ArchiveSettings,
    BehaviourForms,
    Branding,
    ChecklistAnswer,
    Contact,
    Contacts,
    FrameSection,
    National,
    Policy,
    ProtocolSteps,
    SelectionCategory,
    UseRestriction,
)
from pipeline.policy.reader import FIX_HINT, MAX_POLICY_BYTES, default_policy_path, read_yaml
from pipeline.text import BULLET_MARKERS, pdf_safe, unwrap_text

DEFAULT_LOGO = "logo.png"

__all__ = [
    "BULLET_MARKERS", "DEFAULT_LOGO", "MAX_LOGO_BYTES", "MAX_LOGO_PIXELS", "MAX_POLICY_BYTES",
    "MAX_REPORTED", "ArchiveSettings", "BehaviourForms", "Branding", "ChecklistAnswer", "Contact",
    "Contacts", "DutchValueError", "FrameSection", "National", "Policy", "ProtocolSteps",
    "SelectionCategory", "UseRestriction", "default_policy_path", "dump_default_policy",
    "load_policy", "policy_problems", "read_yaml", "resolve_logo", "unwrap_text",
    "validation_problems",
]


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy YAML file (None: the embedded default); PolicyError if bad."""
    path = default_policy_path() if path is None else Path(path)
    if path == default_policy_path():
        # The embedded policy is read once per process (a build, the tests): a Policy is
        # frozen, so every caller may share it. Keyed on the file's stamp, should it change.
        stat = path.stat()
        return _load_embedded(path, stat.st_mtime_ns, stat.st_size)
    return _load(path)


@functools.cache
def _load_embedded(path: Path, mtime_ns: int, size: int) -> Policy:
    return _load(path)


def _load(path: Path) -> Policy:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise PolicyError("het beleid moet een groep sleutels zijn (sleutel: waarde)", file=path,
                          hint=FIX_HINT)
    term = data.get("terminology", terms.DEFAULT)
    if isinstance(term, str) and term in terms.TERMS:
        # Shipped texts say {burger}: they follow the policy's word (an unknown word is
        # reported by the model below).
        data = terms.fill_all(data, term)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as e:
        raise policy_error(e, path) from None
    for key, text in policy_texts(policy):
        if emoji := pdf_safe(text)[1]:
            # The PDF garbles emoji and the digits beside them (text.pdf_safe): a policy text
            # reaches every team's protocol, so it is corrected once, at the source.
            shown = ", ".join(f"{e} (U+{ord(e[0]):04X})" for e in emoji)
            raise PolicyError(f"de tekst bevat {shown}, dat de PDF niet kan tonen", file=path,
                              field=key, hint="Schrijf het in woorden")
    return policy


def dump_default_policy(dest: Path) -> list[Path]:
    """Write an editable copy of the default policy to `dest`, with its logo alongside it."""
    source = default_policy_path()
    dest = Path(dest)
    written = []
    for src, target in ((source, dest), (source.parent / DEFAULT_LOGO, dest.parent / DEFAULT_LOGO)):
        try:
            write_atomically(target, src.read_bytes())
        except OSError as e:
            raise PolicyError(f"kan niet schrijven ({os_reason(e)})", file=target,
                              hint="Kies een map waarin u mag schrijven") from e
        written.append(target)
    return written
