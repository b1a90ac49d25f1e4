"""The policy loader: the embedded default, and every way a policy file can be wrong."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from pipeline.catalogue import FIELDS_BY_TAG, POLICY_CHECKLIST
from pipeline.errors import PolicyError
from pipeline.policy import (
    MAX_POLICY_BYTES,
    default_policy_path,
    dump_default_policy,
    load_policy,
    resolve_logo,
)

# libyaml's emitter writes the same text as PyYAML's pure-Python one, ~10x faster
# (~40 ms per dump of the default policy, for each of ~50 tests).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

DEFAULT = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))


def write_policy(tmp_path: Path, data: object, name: str = "beleid.yaml") -> Path:
    path = tmp_path / name
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def changed(**edits: object) -> dict:
    """A deep copy of the default policy with `a.b.c=value` edits (value None deletes)."""
    data = copy.deepcopy(DEFAULT)
    for dotted, value in edits.items():
        *parents, last = dotted.split("__")
        node = data
        for key in parents:
            node = node[int(key) if isinstance(node, list) or key.isdigit() else key]
        last_key: object = int(last) if last.isdigit() else last
        if value is None:
            del node[last_key]
        else:
            node[last_key] = value
    return data


def error_of(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    return info.value


# ---- the embedded default ------------------------------------------------------------------


def test_default_policy_loads_and_validates():
    policy = load_policy()
    assert policy.branding.organisation == "Gemeente Lindenhoven"
    assert policy.branding.short_name == "lindenhoven"
    assert sorted(policy.chapters) == [1, 2, 3, 4, 5, 6]
    assert all(policy.chapters[n] for n in range(1, 7))
    assert set(POLICY_CHECKLIST) <= set(policy.checklist)


def test_every_catalogue_policy_text_resolves_to_real_text():
    policy = load_policy()
    keys = {f.policy_text for f in FIELDS_BY_TAG.values() if f.policy_text}
    for key in sorted(keys):
        text = policy.text(key)
        assert len(text.strip()) > 20, key
        assert "TODO" not in text


def test_default_has_organisation_actions_for_the_annex():
    open_items = {k: v for k, v in load_policy().checklist.items() if not v.arranged}
    assert 2 <= len(open_items) <= 3
    for answer in open_items.values():
        assert answer.action
        assert answer.owner
        assert answer.due is not None
        assert answer.due > dt.date(2026, 1, 1)


def test_default_uses_one_term_for_the_public():
    policy = load_policy()
    assert policy.terminology == "burger"
    words = [*policy.texts.values()]
    for sections in policy.chapters.values():
        for s in sections:
            words += [s.title, *s.paragraphs, *s.bullets]
    text = " ".join(words).lower()
    assert re.search(r"\bburgers?\b", text)
    assert not re.search(r"\binwoners?\b", text)
    assert not re.search(r"\bklant(en)?\b", text)  # "Klantcontactcentrum" is a team's name


def test_default_frame_covers_the_werkwijzer_topics():
    policy = load_policy()
    # The frame and the texts the forms refer to (each text appears once: the home-visit
    # conditions are in the text the home-visit appendix shows, not repeated in chapter 3).
    text = " ".join([*(p for sections in policy.chapters.values() for s in sections
                       for p in (s.title, *s.paragraphs, *s.bullets)),
                     *policy.texts.values()]).lower()
    for phrase in ("emotie mag, agressie niet", "samen verantwoordelijk", "te herstellen",
                   "dezelfde normen", "leidinggevenden", "huisdieren", "toegangsverbod",
                   "niet bang of bedreigd", "gir", "hoor en wederhoor", "systeemdenken",
                   "intervisie", "opschalen", "aantal incidenten", "vrijwillige", "onvrijwillige"):
        assert phrase in text, phrase
    assert "sociale media" in " ".join(policy.texts["sancties"].split())


def test_default_logo_is_a_small_png():
    logo = resolve_logo(load_policy(), default_policy_path())
    assert logo is not None
    assert logo.name == "logo.png"
    with Image.open(logo) as img:
        assert img.format == "PNG"
        assert img.width <= 1000


def test_dump_default_policy_writes_an_editable_copy_with_logo(tmp_path):
    dest = tmp_path / "init" / "beleid.yaml"
    written = dump_default_policy(dest)
    assert written == [dest, dest.parent / "logo.png"]
    policy = load_policy(dest)
    assert policy == load_policy()
    assert resolve_logo(policy, dest) == (dest.parent / "logo.png").resolve()


# ---- wrong content -------------------------------------------------------------------------


def test_wrong_type_names_the_key(tmp_path):
    err = error_of(write_policy(tmp_path, changed(branding__organisation=123)))
    assert err.field == "branding.organisation"
    assert "moet een tekst zijn" in err.message
    assert err.file == str(tmp_path / "beleid.yaml")
    assert "beleid.yaml — branding.organisation — moet een tekst zijn." in err.format()


@pytest.mark.parametrize(("edit", "key"), [
    ({"kleur": "groen"}, "kleur"),
    ({"branding__color": "#123456"}, "branding.color"),
    ({"contacts__nazorg__telefoon": "112"}, "contacts.nazorg.telefoon"),
    ({"chapters__3__1__titel": "Huisregels"}, "chapters.3[2].titel"),
    ({"checklist__N4__versie": "3"}, "checklist.N4.versie"),
])
def test_unknown_keys_are_errors_at_any_depth(tmp_path, edit, key):
    err = error_of(write_policy(tmp_path, changed(**edit)))
    assert err.field == key
    assert err.message == "onbekende sleutel"
    assert "Controleer de spelling" in (err.hint or "")


def test_unknown_key_hint_lists_the_allowed_keys(tmp_path):
    err = error_of(write_policy(tmp_path, changed(branding__color="#123456")))
    assert "colour" in (err.hint or "")
    assert "organisation" in (err.hint or "")


@pytest.mark.parametrize("dotted", ["branding__organisation", "contacts__nazorg", "texts",
                                    "behaviour_forms__fysiek", "chapters__2__0__title"])
def test_missing_required_key(tmp_path, dotted):
    err = error_of(write_policy(tmp_path, changed(**{dotted: None})))
    assert err.message == "verplicht veld ontbreekt"
    assert err.field
    assert err.field.split(".")[0] == dotted.split("__")[0]


@pytest.mark.parametrize("colour", ["blauw", "#12345", "1F4E79", "#GGGGGG"])
def test_bad_colour(tmp_path, colour):
    err = error_of(write_policy(tmp_path, changed(branding__colour=colour)))
    assert err.field == "branding.colour"
    assert err.message == "moet een kleur zijn als #1F4E79"


def test_several_errors_are_reported_together(tmp_path):
    err = error_of(write_policy(tmp_path, changed(branding__colour="rood", kleur="x",
                                                  terminology="cliënt")))
    assert err.message.startswith("3 fouten in het beleid")
    for key in ("branding.colour", "kleur", "terminology"):
        assert key in err.message
    assert len(err.problems) == 3


def test_checklist_rule_in_dutch(tmp_path):
    err = error_of(write_policy(tmp_path, changed(checklist__N4={"arranged": True})))
    assert err.field == "checklist.N4"
    assert "document" in err.message


def test_missing_text_key_is_named(tmp_path):
    err = error_of(write_policy(tmp_path, changed(texts__melden=None)))
    assert "melden" in err.message


def test_chapter_seven_is_refused(tmp_path):
    data = changed()
    data["chapters"][7] = copy.deepcopy(data["chapters"][6])
    err = error_of(write_policy(tmp_path, data))
    assert err.field == "chapters"
    assert "1 tot en met 6" in err.message


def test_date_that_is_not_a_date(tmp_path):
    err = error_of(write_policy(tmp_path, changed(checklist__V2__due="volgend jaar")))
    assert err.field == "checklist.V2.due"
    assert "datum" in err.message


def test_top_level_must_be_a_mapping(tmp_path):
    err = error_of(write_policy(tmp_path, ["branding"]))
    assert "groep sleutels" in err.message


# ---- hostile or broken files ---------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
) + "\n"  # 10^9 leaves when expanded


def test_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    # Refused at the first alias, before any expansion (10^9 leaves would not fit in memory).
    path = tmp_path / "bom.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    err = error_of(path)
    assert "regel 2" in err.message
    assert "niet toegestaan" in err.message
    assert err.file == str(path)


def test_any_alias_is_refused(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_text("branding: &b {organisation: X, short_name: x}\nkopie: *b\n",
                    encoding="utf-8")
    assert "verwijzing" in error_of(path).message


def test_duplicate_key_is_refused(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_text("terminology: burger\nterminology: klant\n", encoding="utf-8")
    err = error_of(path)
    assert "regel 2" in err.message
    assert "twee keer" in err.message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_text("branding:\n  organisation: Gemeente\n   short_name: x: y\n", encoding="utf-8")
    err = error_of(path)
    assert "regel 3" in err.message
    assert "ongeldige YAML" in err.message


def test_oversize_file_is_refused(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_bytes(b"# " + b"x" * MAX_POLICY_BYTES + b"\n")
    err = error_of(path)
    assert "te groot" in err.message


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_bytes("terminology: burger\n# coördinator\n".encode("latin-1"))
    err = error_of(path)
    assert "geen UTF-8" in err.message
    assert "regel 2" in err.message
    assert "UTF-8" in (err.hint or "")


def test_utf8_with_bom_is_accepted(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + default_policy_path().read_bytes())
    assert load_policy(path).branding.short_name == "lindenhoven"


def test_missing_file(tmp_path):
    err = error_of(tmp_path / "bestaat-niet.yaml")
    assert "bestaat niet" in err.message
    assert "teamprotocol init" in (err.hint or "")


def test_directory_instead_of_file(tmp_path):
    assert "geen bestand" in error_of(tmp_path).message


# ---- the logo ------------------------------------------------------------------------------


def policy_with_logo(tmp_path: Path, name: str = "logo.png") -> tuple[Path, object]:
    path = write_policy(tmp_path, changed(branding__logo=name))
    return path, load_policy(path)


def logo_error(tmp_path: Path, name: str = "logo.png") -> PolicyError:
    path, policy = policy_with_logo(tmp_path, name)
    with pytest.raises(PolicyError) as info:
        resolve_logo(policy, path)  # type: ignore[arg-type]
    err = info.value
    assert err.file == str(path)
    assert err.field == "branding.logo"
    assert name in err.message
    return err


def test_missing_logo(tmp_path):
    assert "bestaat niet" in logo_error(tmp_path, "huisstijl/logo.png").message


def test_logo_that_is_not_an_image(tmp_path):
    (tmp_path / "logo.png").write_text("dit is geen afbeelding", encoding="utf-8")
    assert "geen leesbare afbeelding" in logo_error(tmp_path).message


def test_logo_of_another_format(tmp_path):
    Image.new("RGB", (40, 20), "green").save(tmp_path / "logo.gif")
    assert "geen PNG- of JPEG-afbeelding" in logo_error(tmp_path, "logo.gif").message


def test_truncated_logo(tmp_path):
    Image.effect_noise((200, 200), 50).save(tmp_path / "full.png")
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "logo.png").write_bytes(data[: len(data) // 2])
    assert "geen leesbare afbeelding" in logo_error(tmp_path).message


def test_enormous_logo_by_pixels(tmp_path):
    Image.new("1", (20000, 8)).save(tmp_path / "logo.png")  # a few hundred bytes on disk
    err = logo_error(tmp_path)  # from the header: the image is never decoded
    assert "20000 × 8 pixels" in err.message


def test_enormous_logo_by_file_size(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 6_000_000)
    assert "te groot" in logo_error(tmp_path).message


def test_jpeg_logo_is_accepted(tmp_path):
    Image.new("RGB", (300, 100), "#1F5C4A").save(tmp_path / "logo.jpg")
    path, policy = policy_with_logo(tmp_path, "logo.jpg")
    assert resolve_logo(policy, path) == (tmp_path / "logo.jpg").resolve()  # type: ignore[arg-type]


def test_no_logo_is_fine(tmp_path):
    path = write_policy(tmp_path, changed(branding__logo=None))
    assert resolve_logo(load_policy(path), path) is None


def test_default_texts_keep_each_bullet_on_one_line():
    # merge joins wrapped policy lines into paragraphs; a wrapped bullet would split in two.
    for key, text in load_policy().texts.items():
        lines = text.splitlines()
        for before, line in zip(lines, lines[1:], strict=False):
            if before.lstrip().startswith("- ") and line.strip():
                assert line.lstrip().startswith("- "), key


def test_python_tags_are_refused(tmp_path):
    path = tmp_path / "beleid.yaml"
    path.write_text("terminology: !!python/object/apply:os.system ['echo oeps']\n",
                    encoding="utf-8")
    err = error_of(path)
    assert "regel 1" in err.message
    assert "ongeldige YAML" in err.message


def test_chapter_key_that_is_not_a_number(tmp_path):
    data = changed()
    data["chapters"]["een"] = data["chapters"].pop(1)
    err = error_of(write_policy(tmp_path, data))
    assert err.field == "chapters.een"
    assert "hoofdstuknummer" in err.message


def test_unwrap_text_joins_wrapped_lines_and_keeps_bullets_and_paragraphs():
    from pipeline.policy import unwrap_text

    text = "Eerste regel\n  loopt door.\n\n- punt een\n- punt twee\nNieuwe alinea\nloopt door\n"
    assert unwrap_text(text) == ("Eerste regel loopt door.\n\n- punt een\n- punt twee\n"
                                 "Nieuwe alinea loopt door")
