"""Test helpers in plain modules, imported by name (`tests/` is on sys.path); tests never
import a conftest, conftests hold the fixtures."""
