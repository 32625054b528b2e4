# The two commands of the README. Both install whatever is missing first.
VENV := .venv
BIN := $(VENV)/bin
SOURCES ?= sop_sources

.PHONY: setup build test serve clean

setup:
	@scripts/setup.sh

build: setup
	$(BIN)/sopdoc summary $(SOURCES)
	$(BIN)/sopdoc build $(SOURCES) --out build

test: setup
	$(BIN)/python -m pytest -q

# The site on http://127.0.0.1:8000/, rebuilt whenever a source changes.
serve: setup
	$(BIN)/sopdoc serve $(SOURCES) --out build

clean:
	rm -rf build site .site.*.new .site.*.old .sopdoc-situs.lock .pytest_cache .hypothesis
