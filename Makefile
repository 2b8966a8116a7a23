# gongkai: the two commands are `make run` and `make test`; both bootstrap .venv from requirements.lock.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed

export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: run test install system-deps lock bench bench-hostile bench-accuracy bench-fonts bench-rules bench-web \
        bench-incremental bench-dask bench-serve bench-pdf bench-ocr bench-speed lint clean bi-compat bi-compat-lock docs

run: $(STAMP) system-deps
	$(BIN)/gongkai run

# The suite runs on TEST_WORKERS processes (pytest-xdist), each test file on one of them (module fixtures are
# built once); `.venv/bin/python -m pytest` alone runs it in one process.
TEST_WORKERS ?= 2

test: $(STAMP) system-deps lint bi-compat
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# DuckDB 1.1.3, the release BI tools still bundle, in its own venv (.venv-duckdb-1.1, from the hash-pinned
# tests/bi_compat/requirements-duckdb-1.1.lock): tests/test_bi_compat.py opens the warehouse with it. Built once
# (a no-op while the lock is unchanged); without network it says so and the test is skipped, unless
# GONGKAI_REQUIRE_BI_COMPAT is set (CI), which makes it an error.
bi-compat: $(STAMP)
	$(BIN)/python tests/bi_compat/old_duckdb.py

bi-compat-lock: $(STAMP)
	$(BIN)/uv pip compile tests/bi_compat/requirements-duckdb-1.1.in --python-version 3.11 --generate-hashes \
		-o tests/bi_compat/requirements-duckdb-1.1.lock

# LibreOffice headless converts legacy .doc and Kingsoft .wps files (gongkai/readers/legacy_word.py); Chromium runs
# the auditor site's browser test (driven by Playwright, which downloads no browser of its own).
# Installed from Debian packages only when missing; needs root (or install libreoffice-writer-nogui and chromium yourself).
system-deps:
	command -v soffice >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui)
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

install: $(STAMP)

# docs/keys.md, docs/rules.md and the generated blocks of docs/lake.md, from gongkai/keys.py, expectations/*.json,
# gongkai/lake.py, gongkai/contract.py and the dbt marts; the dbt seeds dbt_project/seeds/*.csv, from the Python
# vocabularies (tools/gen_seeds.py). tests/test_docs_generated.py fails when any of them drifts.
docs: $(STAMP)
	$(BIN)/python -m tools.gen_seeds
	$(BIN)/python -m tools.gen_docs

# Style and types: ruff on the package, flows, tools, tests and benchmarks; mypy on the package, flows and tools
# (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check gongkai flows tools tests benchmarks
	$(BIN)/ruff format --check gongkai flows tools tests benchmarks
	$(BIN)/mypy

# The venv is rebuilt whenever the lock file or pyproject changes. Bytecode is compiled at install: where
# PYTHONDONTWRITEBYTECODE is set (as on this project's machines) no process would ever write a .pyc, and each one would
# compile pandas, Prefect, dbt and GX from source again (seconds per process, hundreds of processes per test run).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q gongkai flows
	touch $(STAMP)

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py --reports 10000

# The speed record (README "Performance"): fixed costs, worker start, PDF pages, files/s by format, scaling, memory, OCR.
bench-speed: $(STAMP) bench-fonts
	$(BIN)/python benchmarks/bench_speed.py $(BENCH_SPEED_ARGS)

# Hostile inbox through `gongkai run`, and the cost of per-file isolation (benchmarks/README.md).
bench-hostile: $(STAMP)
	$(BIN)/python benchmarks/bench_hostile.py

# Parser accuracy on the hand-labelled real reports and a generated set in every format (scans included).
bench-accuracy: $(STAMP) bench-fonts
	$(BIN)/python benchmarks/bench_accuracy.py

# OCR seconds per scanned page on one core, split by part (benchmarks/README.md).
bench-ocr: $(STAMP) bench-fonts
	$(BIN)/python benchmarks/bench_ocr.py

# The rulebook on generated report series with injected violations: recall, false positives, GX share
# (benchmarks/README.md). 1,000 reports; the full figure: make bench-rules BENCH_RULES_ARGS="--reports 10000".
bench-rules: $(STAMP)
	$(BIN)/python benchmarks/bench_rules.py $(BENCH_RULES_ARGS)

# Nothing new, +1 and +10 files on a cached lake of 10,000 generated reports (benchmarks/README.md); the first call
# builds the lake (minutes), later calls reuse it. BENCH_INCREMENTAL_ARGS="--verify" also compares +1 with a full build.
bench-incremental: $(STAMP)
	$(BIN)/python benchmarks/bench_incremental.py $(BENCH_INCREMENTAL_ARGS)

# URL intake throughput (reports from the web) against a local HTTP server, rate limit off and on.
bench-web: $(STAMP)
	$(BIN)/python benchmarks/bench_web.py

# Staging on Dask with 1, 2 and 4 workers next to the process pool (benchmarks/README.md).
bench-dask: $(STAMP)
	$(BIN)/python benchmarks/bench_dask.py

# A served deployment timed from the operator's side: serve start, API-triggered runs (benchmarks/README.md).
bench-serve: $(STAMP)
	$(BIN)/python benchmarks/bench_serve.py

# Staging a text-layer PDF per page next to pdfplumber's extract_words and pypdfium2, in one process; fails above
# 1.2x extract_words (benchmarks/README.md). BENCH_PDF_ARGS="--reports 20 --repeat 5" for a steadier figure.
bench-pdf: $(STAMP)
	$(BIN)/python benchmarks/bench_pdf_pages.py $(BENCH_PDF_ARGS)

# A CJK font for rendering the generated PDFs (they do not embed theirs) into the scans bench-accuracy OCRs.
bench-fonts:
	fc-list :lang=zh | grep -q . || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-zenhei)

clean:
	rm -rf data_lake/raw data_lake/staging data_lake/marts data_lake/reports data_lake/state data_lake/warehouse.duckdb* data_lake/prefect
