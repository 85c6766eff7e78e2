# The two commands of the README:
#   make demo   installs what is missing, builds, and corrects examples/sample-ocr.txt
#   make test   installs what is missing, builds, and runs every test tier
# Other targets: deps, models, build, clean.

PYTHON ?= python3
BUILD  ?= build
JOBS   ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps models build demo test test-deps clean

all: build

deps:
	bash scripts/install-deps.sh

models:
	$(PYTHON) scripts/ocrfix_setup.py models
	$(PYTHON) scripts/ocrfix_setup.py lexicons

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j$(JOBS)

demo: build models
	@echo "--- examples/sample-ocr.txt, as OCR left it:"
	@cat examples/sample-ocr.txt
	@echo "--- corrected by ocrfix with the default model:"
	$(BUILD)/tools/cli/ocrfix correct examples/sample-ocr.txt

test: build models test-deps
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# pytest and friends for tests/server; playwright-core (no browser download: it drives
# Debian's chromium) for tests/web, reinstalled only when its lock file changes.
test-deps: deps tests/web/node_modules/.package-lock.json
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt

tests/web/node_modules/.package-lock.json: tests/web/package.json tests/web/package-lock.json | deps
	cd tests/web && npm ci --no-audit --no-fund

clean:
	rm -rf $(BUILD)
