# The two commands of the README:
#   make demo   installs what is missing, builds, and corrects examples/sample-ocr.txt
#   make test   installs what is missing, builds, and runs every test tier
# Other targets: deps, pydeps, models, build, test-asan, clean.

PYTHON ?= python3
BUILD  ?= build
JOBS   ?= $(shell nproc)
CMAKE_FLAGS ?=
VENV   ?= .venv

.PHONY: all deps pydeps models build demo test test-asan clean

all: build

deps:
	bash scripts/install-deps.sh

# Pinned Python build and test tools (requirements-dev.txt) in a virtual environment: the
# system Python stays untouched (Debian 12 refuses pip installs into it).
$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

pydeps: $(VENV)/.installed

models:
	$(PYTHON) scripts/ocrfix_setup.py models
	$(PYTHON) scripts/ocrfix_setup.py lexicons

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps pydeps $(BUILD)/build.ninja
	cmake -S . -B $(BUILD) -DOCRFIX_BUILD_PYTHON=ON -DPython_EXECUTABLE=$(abspath $(VENV))/bin/python > /dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: build models
	@echo "--- examples/sample-ocr.txt, as OCR left it:"
	@cat examples/sample-ocr.txt
	@echo "--- corrected by ocrfix with the default model:"
	$(BUILD)/tools/cli/ocrfix correct examples/sample-ocr.txt
	@echo "--- the same text printed on a page image (rendered by Tesseract's text2image), read by"
	@echo "    Tesseract and corrected by ocrfix: on a clean page, the misspellings printed there and"
	@echo "    read with confidence are the page's own text and stay; what Tesseract doubted, or read"
	@echo "    the way OCR misreads (rn for m), is fixed:"
	@mkdir -p $(BUILD)/demo
	@text2image --text=examples/sample-ocr.txt --outputbase=$(BUILD)/demo/sample-page --font="DejaVu Sans" \
	  --fonts_dir=/usr/share/fonts/truetype/dejavu --fontconfig_tmpdir=$(BUILD)/demo --ptsize=12 --xsize=2000 \
	  --ysize=400 --margin=30 --degrade_image=false > /dev/null 2>&1
	$(BUILD)/tools/cli/ocrfix ocr $(BUILD)/demo/sample-page.tif

test: build models tests/web/node_modules/.package-lock.json
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) --no-print-directory test-asan

# The unit tier again, built with AddressSanitizer and UBSan (CMakePresets.json, build-asan/).
# llama.cpp is not instrumented: the one $(BUILD) made is installed into $(BUILD)/llama-prefix
# and found there, so it is not compiled twice.
test-asan: build
	@if [ -d $(BUILD)/_deps/llama.cpp ]; then \
	  cmake --install $(BUILD)/_deps/llama.cpp --prefix $(abspath $(BUILD))/llama-prefix > /dev/null; fi
	CMAKE_PREFIX_PATH=$(abspath $(BUILD))/llama-prefix cmake --preset asan > /dev/null
	cmake --build --preset asan -j$(JOBS)
	ctest --preset asan -j$(JOBS)

# playwright-core for the web page test (it drives Debian's chromium: no browser download),
# reinstalled only when the lock file changes.
tests/web/node_modules/.package-lock.json: tests/web/package.json tests/web/package-lock.json | deps
	cd tests/web && npm ci --no-audit --no-fund

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
