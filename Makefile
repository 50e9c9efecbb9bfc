# The two commands of the README's quick start, and a few more.
PY ?= python3

.PHONY: site test check serve pdf bench golden screenshots i18n

site:            ## install Python packages, then build the site into public/
	scripts/install-deps.sh
	$(PY) build.py build --out public

test:            ## install everything the tests need (apt, npm, pip), then run the whole suite
	scripts/install-deps.sh --test
	$(PY) -m pytest

check:
	$(PY) build.py check

serve:
	$(PY) build.py serve

pdf:
	$(PY) build.py pdf

bench:
	$(PY) benchmarks/run.py

golden:          ## refresh the golden HTML files after an intended template change
	$(PY) -m pytest tests/test_golden.py --update-golden

screenshots:
	$(PY) scripts/screenshots.py

PYBABEL ?= pybabel
LOCALE = qm_site/locale

i18n:            ## re-extract interface text into messages.pot, merge it into both catalogs, fill English
	$(PYBABEL) extract -F babel.cfg -o $(LOCALE)/messages.pot --project=qm-site --version=0.1.0 \
		--copyright-holder="qm-site contributors" .
	$(PYBABEL) update -i $(LOCALE)/messages.pot -d $(LOCALE) --ignore-obsolete
	$(PY) scripts/fill_en_catalog.py
