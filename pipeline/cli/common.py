"""What the commands share: click's settings and the `--policy voorbeeld` rule."""

from __future__ import annotations

from pathlib import Path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXAMPLE_POLICY = "voorbeeld"  # `--policy voorbeeld`: the embedded example policy, on purpose


def policy_option(value: Path | None) -> Path | None:
    """`--policy voorbeeld` is the embedded example policy (None for the stages)."""
    return None if value is not None and str(value) == EXAMPLE_POLICY else value
