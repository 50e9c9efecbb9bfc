# The two commands of the README's quick start, and a few more.
# Everything runs in the project's virtual environment, made by scripts/install-deps.sh from
# requirements.lock; PYTHON picks the interpreter it is made with (Debian's python3 or a pyenv one).
PYTHON ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python
export PYTHON VENV

.PHONY: site test test-fast fixture-content lint venv check serve pdf bench golden screenshots pdf-pages i18n lock

site:            ## install Python packages, then build the site into public/
	scripts/install-deps.sh
	$(PY) build.py build --out public

test:            ## install everything the tests need (apt, npm, pip), lint, type-check, check content/ (valid, in the web editor's form), run the whole suite
	scripts/install-deps.sh --test
	$(MAKE) --no-print-directory lint
	$(PY) build.py check
	$(PY) build.py fmt --check
	$(PY) -m pytest

test-fast:       ## the edit loop: units, parsers and one small build; no browser, no slow tests (see tests/README.md)
	$(PY) -m pytest -m "not browser and not slow"

fixture-content: ## refresh the tests' copy of the seed content (tests/fixtures/site/content/) from content/ as committed
	rm -rf tests/fixtures/site/content
	git archive HEAD content | tar -x -C tests/fixtures/site

lint:            ## ruff (mistakes, outdated forms, lines over 132 columns) and mypy (the whole package and build.py)
	$(PY) -m ruff check qm_site tests build.py benchmarks scripts
	$(PY) -m mypy

venv:            ## only make .venv/ from the lock file
	scripts/install-deps.sh

lock:            ## refresh requirements.lock to the newest releases pyproject.toml allows (then run make test)
	$(PYTHON) -m venv .cache/uv-tool
	.cache/uv-tool/bin/python -m pip install -q --disable-pip-version-check --require-hashes --only-binary=:all: -r requirements/uv.txt
	.cache/uv-tool/bin/uv pip compile pyproject.toml requirements/build.in --extra test --universal \
		--python-version 3.11 --generate-hashes --no-header --annotation-style line --upgrade -o requirements.lock

check: venv
	$(PY) build.py check

serve: venv
	$(PY) build.py serve

pdf: venv
	$(PY) build.py pdf

bench:           ## the build benchmark (benchmarks/run.py), with Hugo installed to compare with
	scripts/install-deps.sh --bench
	$(PY) benchmarks/run.py

golden:          ## refresh the golden HTML files after an intended template change
	$(PY) -m pytest tests/test_golden.py --update-golden

screenshots:
	$(PY) scripts/screenshots.py

pdf-pages:       ## one campaign's PDFs (posters, 公文) as PNG contact sheets in screenshots/, to look at in a review
	$(PY) scripts/pdf_pages.py

PYBABEL ?= $(VENV)/bin/pybabel
LOCALE = qm_site/locale

i18n:            ## re-extract interface text into messages.pot, merge it into both catalogs, fill English
	$(PYBABEL) extract -F babel.cfg -o $(LOCALE)/messages.pot --project=qm-site --version=0.1.0 \
		--copyright-holder="qm-site contributors" .
	$(PYBABEL) update -i $(LOCALE)/messages.pot -d $(LOCALE) --ignore-obsolete
	$(PY) scripts/fill_en_catalog.py
