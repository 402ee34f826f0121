# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck imports pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml examples/sales_plugin/pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[all,dev]' -e examples/sales_plugin
	touch $(STAMP)

# The demo: a fresh SQLite file with the seeded demo tenant, its API keys printed, and
# the API served on http://127.0.0.1:8000 (docs at /docs) until Ctrl-C.
DEMO_DB := .demo/customer-master.db
DEMO_URL := sqlite:///$(DEMO_DB)

demo: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB)) && rm -f $(DEMO_DB)
	@$(BIN)/customer-master --url $(DEMO_URL) migrate
	@$(BIN)/customer-master --url $(DEMO_URL) seed-demo
	@echo
	@echo "Admin: http://127.0.0.1:8000/admin  (sign in with a key above; see who does what)"
	@echo "Docs:  http://127.0.0.1:8000/docs   (Authorize with ana's key to try every call)"
	@echo "Try:   curl -H 'X-API-Key: <ana key>' 'http://127.0.0.1:8000/customers?name=kedai'"
	@echo "       curl -H 'X-API-Key: <ana key>' 'http://127.0.0.1:8000/change-requests?mine=true'"
	@echo "Aging: curl -H 'X-API-Key: <ana key>' 'http://127.0.0.1:8000/aging?entity=MY01'"
	@echo "       $(BIN)/customer-master --url $(DEMO_URL) aging --tenant demo --entity MY01"
	@echo "Statement of account (PDF; a customer's id or code, here CUS-0016):"
	@echo "       $(BIN)/customer-master --url $(DEMO_URL) statement CUS-0016 --entity MY01 \\"
	@echo "         --from \$$(date -d '-3 months' +%Y-%m-01) --to \$$(date +%F) --tenant demo --pdf statement.pdf"
	@echo
	@$(BIN)/customer-master --url $(DEMO_URL) serve --bind 127.0.0.1:8000 --workers 2

lint: $(STAMP)
	$(BIN)/ruff check src adapters tests examples bench
	$(BIN)/ruff format --check src adapters tests examples bench

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# Two workers (the machine's two cores); tests that share a server's state run in one
# worker by their xdist_group.
pytest: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck imports pytest

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
