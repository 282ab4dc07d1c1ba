"""A wheel must carry every engine package and the schemas and templates it reads at run time."""

from __future__ import annotations

import tomllib

from engine.paths import ROOT, SCHEMA_DIR, TEMPLATE_DIR

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_engine_package_is_listed() -> None:
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "engine").rglob("__init__.py")
    }
    assert packages and packages <= set(SETUPTOOLS["packages"])


def test_schemas_and_templates_ship_as_data_packages() -> None:
    directories = {package: ROOT / folder for package, folder in SETUPTOOLS["package-dir"].items()}
    assert directories == {"baocao_schemas": SCHEMA_DIR, "baocao_templates": TEMPLATE_DIR}
    for package, directory in directories.items():
        shipped = {
            path.name for pattern in SETUPTOOLS["package-data"][package] for path in directory.glob(pattern)
        }
        assert shipped == {path.name for path in directory.iterdir() if path.is_file()}, package
