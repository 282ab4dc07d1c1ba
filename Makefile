# Set-up and checks. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: bytecode demo test lint types check-templates pytest bench bench-quick bench-web bench-preview \
	bench-instructions serve screenshots templates install-libreoffice mutate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## bytecode: compile engine/ once, as pip does for an installed package; the editable install leaves
## it to each process, which cannot save it where PYTHONDONTWRITEBYTECODE is set (CI, containers)
## and then spends about 0,3 s per process (each `build` worker) compiling the same sources again
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q engine

## demo: render every data file under data/ into out/ (incremental: unchanged files are skipped)
demo: $(STAMP) bytecode
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

pytest: $(STAMP) bytecode
	$(BIN)/python -m pytest -W error

## bench: speed benchmark, ratios measured in one run (bench/run.py); bench-quick: a few minutes
bench: $(STAMP) bytecode
	$(BIN)/python -m bench.run

bench-quick: $(STAMP) bytecode
	$(BIN)/python -m bench.run --quick

## bench-web: load test of `baocao serve` on loopback (20 clients × 200 requests over 50 files: no save lost,
## no server error, p95 preview latency); BENCH_WEB_ARGS=--quick for a short run
bench-web: $(STAMP) bytecode
	$(BIN)/python -m bench.web_load $(BENCH_WEB_ARGS)

## bench-preview: edit one figure of the six-month sample → its new preview, warm, in-process (preview_ms)
bench-preview: $(STAMP) bytecode
	$(BIN)/python -m bench.preview

## bench-instructions: ratio_to_floor and each step of one document counted in instructions (callgrind, no
## noise; needs valgrind)
bench-instructions: $(STAMP) bytecode
	$(BIN)/python -m bench.instructions

## serve: the web app over data/ (http://127.0.0.1:8000/)
serve: $(STAMP) bytecode
	$(BIN)/baocao serve data

## screenshots: docs/web-*.png for the README, with headless Chromium
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

## templates: rebuild templates/docx/*.docx from their Python sources
templates: $(STAMP)
	$(BIN)/python -m templates.build $(if $(FORCE),--force)

## install-libreoffice: what `--pdf` and the .ods/.xls spreadsheet tests need, on Debian/Ubuntu (run as
## root): LibreOffice, its Python bridge
## (one LibreOffice kept running for a batch), Liberation fonts v2 (Vietnamese without a fallback face),
## poppler-utils (the PDF tests read pages and fonts)
PDF_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-liberation2 poppler-utils
install-libreoffice:
	apt-get update && apt-get install -y $(PDF_PACKAGES)

## mutate: mutation testing (mutmut) of the modules where a wrong result is silent; slow, not in `make test`
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results
	$(BIN)/python -c "$$MUTATE_PER_MODULE"

# In all (mutmut's summary), then per module: killed (exit codes 1, 3), timed out (an endless loop caught).
define MUTATE_PER_MODULE
import json, pathlib
stats = json.loads(pathlib.Path("mutants/mutmut-cicd-stats.json").read_text())
print(stats)
print(f"all modules: {stats['total']} mutants, killed {stats['killed'] / stats['total']:.1%}")
for meta in sorted(pathlib.Path("mutants/engine").glob("*.py.meta")):
    codes = list(json.loads(meta.read_text())["exit_code_by_key"].values())
    killed, timeout = sum(c in (1, 3) for c in codes), sum(c in (36, 24, -24, 152, 255) for c in codes)
    print(f"{meta.name.removesuffix('.meta')}: {len(codes)} mutants, killed {killed} ({killed / len(codes):.1%}), timeout {timeout}")
endef
export MUTATE_PER_MODULE

clean:
	rm -rf out mutants .mypy_cache .pytest_cache .ruff_cache
