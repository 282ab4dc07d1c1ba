"""Where the project's resources live (the repository holding `engine/`)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
TEMPLATE_DIR = ROOT / "templates" / "docx"
