# The two commands of the README. Both install whatever is missing first.
VENV := .venv
BIN := $(VENV)/bin
SOURCES ?= sop_sources

.PHONY: setup build test clean

setup:
	@scripts/setup.sh

build: setup
	$(BIN)/sopdoc summary $(SOURCES)
	$(BIN)/sopdoc build $(SOURCES) --out build

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf build site .pytest_cache .hypothesis
