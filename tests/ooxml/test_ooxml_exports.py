"""`pipeline.ooxml` exports only public names, each of them defined."""

from pipeline import ooxml


def test_ooxml_exports_only_public_names():
    assert [name for name in ooxml.__all__ if name.startswith("_")] == []
    assert [name for name in ooxml.__all__ if not hasattr(ooxml, name)] == []
    public = {name for name in vars(ooxml) if not name.startswith("_")}
    submodules = {"content", "controls", "names", "package"}
    assert public - submodules == set(ooxml.__all__)
