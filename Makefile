# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
NATIVE  = domain/store/sqlite/_chainwalk.so

.PHONY: run test test-tools lint bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

# The hash chain's walk in C, for verify of big books (domain/store/sqlite/native_walk.py). It
# links the SQLite and libcrypto that Python itself loads; where it cannot be built, verify
# walks the chain in Python, three times slower.
$(NATIVE): domain/store/sqlite/chainwalk.c
	@rm -f $@; $(CC) -O2 -shared -fPIC -o $@ $< -l:libsqlite3.so.0 -l:libcrypto.so.3 2>/dev/null \
	  || echo "note: the C walk of the hash chain could not be built; verify walks it in Python"

run: $(STAMP) $(NATIVE)
	$(BIN)/python -m app $(BOOK)

test: $(STAMP) $(NATIVE) test-tools
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check app domain tests packaging
	$(BIN)/mypy

# Programs some tests check against (hledger reads the exported journal, desktop-file-validate
# the Linux desktop entry): installed where the package manager can without asking (root with
# apt-get, as in CI); elsewhere those tests skip, saying why.
TEST_TOOLS = hledger:hledger desktop-file-validate:desktop-file-utils
test-tools:
	@for tool in $(TEST_TOOLS); do \
	  command -v $${tool%%:*} >/dev/null && continue; \
	  [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null || continue; \
	  apt-get install -y -qq $${tool#*:} >/dev/null 2>&1 \
	    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $${tool#*:} >/dev/null 2>&1; } \
	    || echo "$${tool#*:} could not be installed: the tests that need it will skip"; \
	done

lint: $(STAMP)
	$(BIN)/ruff check app domain tests packaging
	$(BIN)/mypy

bench: $(STAMP) $(NATIVE)
	$(BIN)/python tests/benchmarks/run_all.py $(SIZES)

package: $(STAMP) $(NATIVE)
	$(BIN)/python packaging/build.py

clean:
	rm -rf $(VENV) build dist $(NATIVE)
