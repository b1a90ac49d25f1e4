# The two commands a coordinator needs: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup system demo test quick bench forms lint clean

# axe-core (npm) checks the overview for WCAG 2.1 AA in Chromium (tests/report); pinned,
# installed into the virtualenv's folder so `make clean` removes it too.
AXE_VERSION := 4.14.1
AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js

setup: $(STAMP) system $(AXE)

$(STAMP): pyproject.toml setup.py
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AXE): | system
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@$(AXE_VERSION)

# LibreOffice (25.x from bookworm-backports on Debian 12) and open fonts.
system:
	bash scripts/install-system.sh

demo: setup
	$(VENV)/bin/teamprotocol build

# pytest exits 5 when it collected no test: make treats that as a failure, as it should.
# Two workers (pytest-xdist), a test module to whichever is free (its module fixtures made
# once); the builds several modules read are made once across both (tests/helpers/shared.py).
test: setup
	$(PY) -m ruff check pipeline tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -n 2 --dist loadfile

# The inner loop (README, Development): no LibreOffice and nothing marked slow, on both cores
# (measured on a quiet machine: 15 s against 26 s in one process). An empty
# PYTHONDONTWRITEBYTECODE lets pytest keep its rewritten test modules between runs (~5 s).
quick: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n 2 --dist loadfile -m "not libreoffice and not slow"

bench: setup
	$(PY) bench/bench.py

# The committed forms/ folder (the example teams' Word forms); a test checks it is current.
forms: setup
	$(PY) scripts/make_example_forms.py

clean:
	rm -rf $(VENV) output/* build *.egg-info
	touch output/.gitkeep
