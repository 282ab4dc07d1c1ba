# Set-up and checks. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types check-templates pytest bench bench-quick templates install-libreoffice clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## demo: render every data file under data/ into out/ (incremental: unchanged files are skipped)
demo: $(STAMP)
	$(BIN)/baocao build data -o out

## test: lint, strict types, tests (warnings are errors)
test: lint types check-templates pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

check-templates: $(STAMP)
	$(BIN)/baocao check-template templates/docx/*.docx

pytest: $(STAMP)
	$(BIN)/python -m pytest -W error

## bench: speed benchmark, ratios measured in one run (bench/run.py); bench-quick: about a minute
bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --quick

## templates: rebuild templates/docx/*.docx from their Python sources
templates: $(STAMP)
	$(BIN)/python -m templates.build

## install-libreoffice: what `--pdf` and the .ods/.xls spreadsheet tests need, on Debian/Ubuntu (run as root)
install-libreoffice:
	apt-get update && apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation poppler-utils

clean:
	rm -rf out .mypy_cache .pytest_cache .ruff_cache
