"""What of a policy file is still the example organisation's (the invented Gemeente Lindenhoven
that `init` copies): its archive code, its logo, its addresses and the texts naming it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.policy.logo import resolve_logo
from pipeline.policy.model import Policy
from pipeline.policy.reader import default_policy_path

EXAMPLE_NAME = "lindenhoven"
EXAMPLE_DOMAIN = "lindenhoven.example"
EXAMPLE_TOOI = "gm0000"
_SHOWN = 3  # keys named per marker; the rest counted


def policy_texts(policy: Policy) -> Iterator[tuple[str, str]]:
    """(dotted key as in the YAML file, text) of every text of `policy`."""
    return _texts(policy.model_dump(mode="json", by_alias=True))


def _texts(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, text) of every text in a dumped policy."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value, start=1):
            yield from _texts(v, f"{key}[{i}]")
    elif isinstance(value, str):
        yield key, value


def _keys(keys: list[str]) -> str:
    more = f" en nog {len(keys) - _SHOWN}" if len(keys) > _SHOWN else ""
    return ", ".join(keys[:_SHOWN]) + more


def example_markers(policy: Policy, policy_path: Path | None) -> list[str]:
    """What in the policy file at `policy_path` is still the example's, in Dutch; [] for the
    embedded example itself (None: chosen on purpose, for the demo) or an own policy.

    A newcomer who changed only the organisation's name archived the example's logo, texts,
    addresses and the placeholder archive code gm0000 (issue 21, item 6).
    """
    if policy_path is None:
        return []
    found = []
    if policy.archive.tooi == EXAMPLE_TOOI:
        found.append(f"de archiefcode {EXAMPLE_TOOI} (archive.tooi)")
    logo = resolve_logo(policy, policy_path)
    example_logo = default_policy_path().with_name("logo.png")
    if logo is not None and logo.read_bytes() == example_logo.read_bytes():
        found.append(f"het voorbeeldlogo (branding.logo: {policy.branding.logo})")
    texts = list(policy_texts(policy))
    mail = [k for k, t in texts if EXAMPLE_DOMAIN in t.lower()]
    if mail:
        found.append(f"adressen op @{EXAMPLE_DOMAIN} ({_keys(mail)})")
    named = [k for k, t in texts if EXAMPLE_NAME in t.lower() and EXAMPLE_DOMAIN not in t.lower()]
    if named:
        found.append(f"teksten over Lindenhoven ({_keys(named)})")
    return found
