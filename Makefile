# Two commands: `make serve` and `make test`. Each bootstraps .venv on first use, with the exact
# versions in constraints.txt; `make serve` installs only what serving needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
PIP := $(BIN)/python -m pip install --quiet --constraint constraints.txt

# The container image (see Containerfile). CONTAINER may be docker; BASE any image with Python 3.11.
CONTAINER ?= podman
IMAGE ?= mx-sandbox:latest
LOCAL_BASE := localhost/mx-sandbox-base:bookworm
BASE ?= $(LOCAL_BASE)
DEBIAN_MIRROR ?= http://deb.debian.org/debian
BASE_TAR ?= $(HOME)/.cache/mx-sandbox/debian-bookworm-python3.tar
WHEELHOUSE := build/wheelhouse

.PHONY: serve test bench clean constraints wheelhouse image base-image

$(RUNTIME): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP) -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP) -e '.[test]'
	touch $(STAMP) $(RUNTIME)

# Bytecode for the editable install (a wheel install compiles at install time): without it, a
# machine with PYTHONDONTWRITEBYTECODE set compiles ~170 modules on every start (~170 ms).
# Incremental: only changed files are compiled again.
COMPILE := $(BIN)/python -m compileall -q sandbox

serve: $(RUNTIME)
	$(COMPILE)
	$(BIN)/mx-sandbox serve $(ARGS)

# xdist workers: two per core, as much of a test's time is spent waiting (servers in subprocesses,
# browsers, real-time waits); `make test PYTEST_ARGS=` runs serially.
WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
PYTEST_ARGS ?= -n $(WORKERS)

# Tests write bytecode even where PYTHONDONTWRITEBYTECODE is set: every pytest process (each xdist
# worker, and the pytest runs tests start) otherwise re-rewrites and recompiles ~400 modules (~4 s).
test: $(STAMP)
	$(COMPILE)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(COMPILE)
	$(BIN)/python benchmarks/startup_and_load.py
	$(BIN)/python benchmarks/polling.py

# Newest releases matching pyproject, frozen; run `make test` and commit the diff.
constraints:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet '.[test]'
	{ sed -n '/^#/p' constraints.txt; build/lock-venv/bin/python -m pip freeze --exclude mx-sandbox; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf build/lock-venv

# The project's wheel, its runtime dependencies and pip, for an install with --no-index in the image.
wheelhouse: $(RUNTIME)
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m pip wheel --quiet --constraint constraints.txt --wheel-dir $(WHEELHOUSE) . pip

image: wheelhouse
	if [ "$(BASE)" = "$(LOCAL_BASE)" ] && ! $(CONTAINER) image exists $(BASE) 2>/dev/null; then $(MAKE) base-image; fi
	$(CONTAINER) build $(if $(filter podman,$(CONTAINER)),--format docker) --build-arg BASE=$(BASE) \
		--tag $(IMAGE) --file Containerfile $(WHEELHOUSE)

# A base from Debian packages, for machines that cannot pull one (needs root and debootstrap).
base-image: $(BASE_TAR)
	$(CONTAINER) import $(BASE_TAR) $(LOCAL_BASE)

$(BASE_TAR):
	mkdir -p $(dir $@)
	rm -rf $@.root
	debootstrap --variant=minbase --include=python3 bookworm $@.root $(DEBIAN_MIRROR)
	rm -rf $@.root/var/cache/apt/archives/*.deb $@.root/var/lib/apt/lists/* \
		$@.root/usr/share/doc $@.root/usr/share/man $@.root/usr/share/info $@.root/usr/share/locale
	tar -C $@.root -cf $@.tmp .
	mv $@.tmp $@
	rm -rf $@.root

clean:
	rm -rf $(VENV) build
