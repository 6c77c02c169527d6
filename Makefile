# Two commands for a fresh machine: `make run` (install and start the app), `make test` (install and test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
DB     ?= data/nq57.duckdb
STREAMLIT_FLAGS := --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

.PHONY: run test test-fast check lint format build demo bench bench-quick bench-detail screenshots clean help

help:
	@echo "make run    – cài đặt và chạy ứng dụng tại http://localhost:$(PORT)"
	@echo "make test   – cài đặt và chạy toàn bộ kiểm thử"
	@echo "make test-fast – kiểm thử nhanh (bỏ qua kiểm thử chậm, trình duyệt và LibreOffice)"
	@echo "make check  – kiểm tra định dạng, lint và kiểm thử"
	@echo "make build  – dựng lại danh mục từ data/ (giữ số liệu đã tải lên)"
	@echo "make demo   – dựng cơ sở dữ liệu minh họa riêng (data/nq57-demo.duckdb)"
	@echo "make bench  – đo hiệu năng so với nền (bench/ratios.py; make bench-quick: < 3 phút)"
	@echo "make bench-detail – mọi phép đo chi tiết (python -m bench)"
	@echo "make screenshots – tạo lại ảnh minh họa trong docs/img/ (cần Chromium)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cần Python 3.11 trở lên"'
	@$(PYTHON) -m venv $(VENV) || { echo "Không tạo được môi trường ảo: trên Debian/Ubuntu hãy cài gói python3-venv (apt-get install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.app-installed

$(DB): | $(VENV)/.app-installed
	$(BIN)/python -m loaders build --db $(DB)

# ui.serve is `streamlit run app.py` with deep links working for the first visitor too (ui/serve.py says why)
run: $(VENV)/.app-installed $(DB)
	$(BIN)/python -m ui.serve $(STREAMLIT_FLAGS)

build: $(VENV)/.app-installed
	$(BIN)/python -m loaders build --db $(DB)

demo: $(VENV)/.app-installed
	$(BIN)/python -m loaders demo --db data/nq57-demo.duckdb
	@echo "Chạy bản minh họa: NQ57_DB=data/nq57-demo.duckdb $(BIN)/python -m ui.serve"

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not slow and not e2e and not libreoffice"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.ratios

bench-quick: $(VENV)/.dev-installed
	$(BIN)/python -m bench.ratios --quick

bench-detail: $(VENV)/.dev-installed
	$(BIN)/python -m bench

screenshots: $(VENV)/.dev-installed
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache .hypothesis artifacts
