# The two commands: `make demo` and `make test`. Both create .venv and
# install what they need; see README.md for the system packages.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-local test lint typecheck imports pytest bench system-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed as '$(PYTHON)' (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,dev]'
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

demo: system-deps $(STAMP)
	$(BIN)/meetingroom --demo

demo-local: system-deps $(STAMP)
	$(BIN)/meetingroom --demo-local

test: system-deps $(STAMP) lint typecheck imports pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/server_bench.py
	$(BIN)/python bench/pdf_bench.py
	$(BIN)/python bench/sync_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis

# -- Installer build: build.spec (PyInstaller) -> dist/MeetingRoom/, and on
# Linux dist/meetingroom_<version>_<arch>.deb (scripts/build-deb.sh). See
# docs/deployment.md. package-test builds, runs the built binary's --version and
# --selftest and checks the .deb; it took 9 min on a shared 2-core machine
# (PyInstaller, xz), so it is not part of `make test`: .ci/run calls it after.
PACKAGE_STAMP := $(VENV)/.installed-package
.PHONY: package package-test translations icons

$(PACKAGE_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	rm -rf dist/MeetingRoom dist/meetingroom_*.deb
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	@if [ "$$(uname -s)" = Linux ]; then bash scripts/build-deb.sh dist; fi

package-test: package
	QT_QPA_PLATFORM=offscreen dist/MeetingRoom/MeetingRoom --version
	QT_QPA_PLATFORM=offscreen dist/MeetingRoom/MeetingRoom --selftest
	@if [ "$$(uname -s)" = Linux ]; then bash scripts/check-deb.sh dist; fi

translations: $(STAMP)
	$(BIN)/python scripts/update_translations.py

icons: $(STAMP)
	$(BIN)/python scripts/make_icons.py
