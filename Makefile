# Set-up and checks. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types check-templates pytest bench bench-quick bench-web serve screenshots templates install-libreoffice clean

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

## bench-web: load test of `baocao serve` on loopback (20 clients × 200 requests over 50 files: no save lost,
## no server error, p95 preview latency); BENCH_WEB_ARGS=--quick for a short run
bench-web: $(STAMP)
	$(BIN)/python -m bench.web_load $(BENCH_WEB_ARGS)

## serve: the web app over data/ (http://127.0.0.1:8000/)
serve: $(STAMP)
	$(BIN)/baocao serve data

## screenshots: docs/web-*.png for the README, with headless Chromium
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

## templates: rebuild templates/docx/*.docx from their Python sources
templates: $(STAMP)
	$(BIN)/python -m templates.build

## install-libreoffice: what `--pdf` needs, on Debian/Ubuntu (run as root)
install-libreoffice:
	apt-get update && apt-get install -y libreoffice-writer-nogui fonts-liberation poppler-utils

clean:
	rm -rf out .mypy_cache .pytest_cache .ruff_cache
