"""Where the project's resources live: beside `engine/` in a checkout, or as the data packages
`baocao_schemas` and `baocao_templates` that a wheel installs next to `engine` (see pyproject.toml)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _resources(checkout: Path, installed: str) -> Path:
    return checkout if checkout.is_dir() else ROOT / installed


SCHEMA_DIR = _resources(ROOT / "schemas", "baocao_schemas")
TEMPLATE_DIR = _resources(ROOT / "templates" / "docx", "baocao_templates")
