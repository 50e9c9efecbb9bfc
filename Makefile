# The two commands of the README's quick start, and a few more.
PY ?= python3

.PHONY: site test check serve pdf bench golden screenshots

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
