"""The one thing pyproject.toml cannot say: the top-level `templates/` folder is installed as the
package `pipeline.templates` (package_dir mapping), beside the packages found in `pipeline/`.
Everything else about the package is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["pipeline*"]), "pipeline.templates"],
      package_dir={"pipeline.templates": "templates"})
