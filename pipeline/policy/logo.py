"""The policy's logo, checked before it goes into a document: a PNG or JPEG of sane size."""

from __future__ import annotations

import struct
import warnings
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from pipeline.errors import PolicyError
from pipeline.policy.model import Policy
from pipeline.policy.reader import default_policy_path

MAX_LOGO_BYTES = 5_000_000
MAX_LOGO_PIXELS = (4000, 4000)


def resolve_logo(policy: Policy, policy_path: Path | None = None) -> Path | None:
    """The policy's logo file, checked to be a PNG or JPEG of sane size; None without a logo."""
    if not policy.branding.logo:
        return None
    policy_path = default_policy_path() if policy_path is None else Path(policy_path)
    name = policy.branding.logo
    logo = (policy_path.parent / name).resolve()

    def fail(message: str, hint: str) -> PolicyError:
        return PolicyError(f"het logo '{name}' {message}", file=policy_path, field="branding.logo",
                           hint=hint)

    if "\\" in name and not logo.is_file():
        # A Windows path (C:\\Users\\...) names no file on the server that builds.
        raise fail("is een pad met '\\' (een Windows-pad) en bestaat op deze computer niet",
                   "Zet het logo naast het beleidsbestand en schrijf alleen de naam "
                   "(logo: logo.png), of een pad met '/' relatief aan het beleidsbestand")
    if not logo.is_file():
        return_hint = ("Zet het logo naast het beleidsbestand of geef het juiste pad, "
                       "relatief aan het beleidsbestand; laat branding.logo weg voor geen logo")
        raise fail("bestaat niet", return_hint)
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise fail(f"is te groot ({size // 1_000_000} MB, maximaal "
                   f"{MAX_LOGO_BYTES // 1_000_000} MB)",
                   "Gebruik een kleinere PNG of JPEG, bijvoorbeeld 600 pixels breed")
    try:
        with warnings.catch_warnings():
            # Pillow warns (then fails) on decompression bombs; either way it is too big.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(logo) as img:
                fmt, (width, height) = img.format, img.size
                if fmt not in ("PNG", "JPEG"):
                    raise fail(f"is geen PNG- of JPEG-afbeelding maar {fmt}",
                               "Sla het logo op als PNG of JPEG")
                if width > MAX_LOGO_PIXELS[0] or height > MAX_LOGO_PIXELS[1]:
                    raise fail(f"is te groot ({width} × {height} pixels, maximaal "
                               f"{MAX_LOGO_PIXELS[0]} × {MAX_LOGO_PIXELS[1]})",
                               "Verklein het logo, bijvoorbeeld tot 600 pixels breed")
                img.verify()
    except PolicyError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise fail("is te groot (te veel pixels)", "Verklein het logo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise fail("is geen leesbare afbeelding (PNG of JPEG)",
                   "Sla het logo opnieuw op als PNG of JPEG") from e
    _word_can_hold(logo, fail)
    return logo


def _word_can_hold(logo: Path, fail: Callable[[str, str], PolicyError]) -> None:
    """Refuse a logo Pillow reads but python-docx cannot place in a document.

    python-docx recognises a JPEG only by a JFIF or Exif header; a CMYK JPEG from a print
    studio carries an Adobe header instead (Pillow writes one too: FF D8 FF EE), and `build`
    and `forms` crashed on it with UnrecognizedImageError after creating the output folder.
    """
    # Imported here: python-docx takes ~0.15 s to import, and reading a form or the policy
    # (`check`) needs no Word writer.
    from docx.image.exceptions import (
        InvalidImageStreamError,
        UnexpectedEndOfFileError,
        UnrecognizedImageError,
    )
    from docx.image.image import Image as WordImage

    try:
        WordImage.from_blob(logo.read_bytes())
    except (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError,
            struct.error, ValueError, IndexError, KeyError) as e:
        raise fail("kan niet in een Word-document worden geplaatst (bijvoorbeeld een "
                   "CMYK-JPEG voor de drukker, zonder JFIF-kop)",
                   "Sla het logo opnieuw op als PNG (RGB), bijvoorbeeld met 'Exporteren als "
                   "PNG' in uw tekenprogramma") from e
