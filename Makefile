# Set-up and everyday commands. Each target creates .venv when missing and
# installs torch==2.13.0 (the local CPU wheel) before the project, so pip never
# pulls the multi-GB CUDA build that argostranslate would otherwise drag in.
# The project comes with its dev and ray extras (the Ray backend's tests run a
# local Ray cluster).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast check lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev,ray]'
	touch $(STAMP)

# The main job on seeds/: validate and list the termbase, mine the seeds,
# translate them with the termbase enforced (machine translation when an nl→en
# Argos model is installed, else PO files with term hints), check the result,
# apply the termbase to an MT-like English translation of one seed made
# elsewhere (examples/) and check that (check exits 1 for the one term fix
# leaves to the translator, flagged in out/fix.txt; make goes on), and
# regenerate exports/.
demo: $(STAMP)
	$(BIN)/glossary validate
	$(BIN)/glossary term list --status approved
	$(BIN)/glossary mine seeds/ --top 25
	$(BIN)/glossary translate seeds/ --engine auto --format po --out-dir out/ --report out/terms.txt
	$(BIN)/glossary check out/004_2e6791538f2596e0.po
	$(BIN)/glossary fix seeds/001_aab24cd63284c81b.txt examples/001_aab24cd63284c81b.en-mt.txt -o out/001_aab24cd63284c81b.fixed.en.txt --report out/fix.txt
	-$(BIN)/glossary check seeds/001_aab24cd63284c81b.txt out/001_aab24cd63284c81b.fixed.en.txt
	$(BIN)/glossary export --all --status approved

# The whole test suite (installs gettext's msgfmt when missing: PO tests need it;
# LibreOffice and poppler's pdftotext: the document tests read their outputs with
# them; Debian's Chromium with its driver: the workbench's browser tests need them).
test: $(STAMP)
	command -v msgfmt >/dev/null || (apt-get install -y -q gettext >/dev/null 2>&1 || sudo apt-get install -y -q gettext)
	command -v soffice >/dev/null || (apt-get install -y -q libreoffice-writer-nogui >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libreoffice-writer-nogui >/dev/null 2>&1) || sudo apt-get install -y -q libreoffice-writer-nogui)
	command -v pdftotext >/dev/null || (apt-get install -y -q poppler-utils >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q poppler-utils >/dev/null 2>&1) || sudo apt-get install -y -q poppler-utils)
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null 2>&1) || sudo apt-get install -y -q chromium chromium-driver)
	$(BIN)/python -m pytest

# The inner loop: everything but the tests marked slow (whole-seed model runs, 50 MB files).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

check: lint test

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
