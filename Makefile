# The kit's commands.  Everything runs in .venv at the repository root.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# nbgrader runs alembic from the venv's bin/ when it creates a gradebook
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help venv goldens demo test test-quick lint observations bench gradescope hub hub-clean clean

help:
	@echo "make demo     build release/ and solutions/, grade the example class in build/demo/, write grades and feedback"
	@echo "make test     run all of the kit's tests, the slow ones too"
	@echo "make test-quick  the quick tests: grading on saved results, reference, generated files (no sandbox, nbgrader, browser or hub)"
	@echo "make lint     ruff (lint and format check) and lint-imports (no import circle)"
	@echo "make observations  save what the example answers' functions return on the hidden inputs (test-quick grades these)"
	@echo "make goldens  regenerate release/ and solutions/ (committed, made from source/) after editing source/"
	@echo "make bench    run the benchmarks under bench/"
	@echo "make gradescope  build/gradescope/<assignment>.zip: each assignment's autograder to upload to Gradescope"
	@echo "make hub      a course JupyterHub on 127.0.0.1:$(HUB_PORT) (root): users, exchange, both assignments released, grading service"
	@echo "make hub-clean  remove the users make hub made (the hub's folder, $(HUB_ROOT), stays)"
	@echo "make clean    remove build/ (what the demo and the tests write); never a class's submitted/ or gradebook.db"

# torch's CPU build: the default index's torch is a CUDA build of several GB (TORCH_INDEX= for another)
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check

$(STAMP): requirements/runtime.txt requirements/hub.txt requirements/dev.txt pyproject.toml
	python3 -m venv $(VENV)
	# torch first, from its CPU index; where that cannot be reached, from the default index, as
	# deploy/gradescope/setup.sh does
	torch="$$(grep -E '^torch==[0-9]' requirements/runtime.txt)"; \
	$(PIP) --timeout 20 --retries 0 --index-url $(TORCH_INDEX) "$$torch" || $(PIP) "$$torch"
	$(PIP) -r requirements/dev.txt
	# the kit itself, editable: importable from .venv (kernels included), `autograder` on PATH
	$(PIP) --no-deps --no-build-isolation -e .
	@$(PYTHON) -c "import torch; print('installed torch', torch.__version__, '(a CUDA build)' if torch.version.cuda else '(the CPU build)')"
	touch $(STAMP)

# nbgrader run from .venv (the Validate button in JupyterLab included) gets the kit's configuration
NBGRADER_CONFIG := $(VENV)/etc/jupyter/nbgrader_config.py
$(NBGRADER_CONFIG): nbgrader_config.py $(STAMP)
	mkdir -p $(dir $@)
	cp nbgrader_config.py $@

venv: $(STAMP) $(NBGRADER_CONFIG)

goldens: venv
	$(PYTHON) -m autograder.nbgrader.course build

demo: venv
	$(PYTHON) -m examples.demo

test: venv
	$(PYTHON) -m pytest

test-quick: venv
	$(PYTHON) -m pytest -m "not sandbox and not nbgrader and not browser and not hub"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

observations: venv
	$(PYTHON) -m tests.saved_observations

bench: venv
	$(PYTHON) bench/convergence.py
	$(PYTHON) bench/class_speed.py
	$(PYTHON) bench/check_speed.py
	$(PYTHON) bench/boundary.py
	$(PYTHON) bench/diagnosis.py
	$(PYTHON) bench/service_latency.py

gradescope: venv
	$(PYTHON) -m autograder.outputs.gradescope build

# The course hub (docs/hub.md): in the foreground until Ctrl-C; HUB_ROOT and HUB_PORT are make's variables
HUB_ROOT ?= /srv/rnn-sum-hub
HUB_PORT ?= 8000
hub: venv
	$(PYTHON) deploy/hub/course_hub.py --root $(HUB_ROOT) --port $(HUB_PORT)

hub-clean: venv
	$(PYTHON) deploy/hub/course_hub.py --root $(HUB_ROOT) --remove

# generated files only: a class (submitted/, autograded/, feedback/, gradebook.db) is the instructor's
clean:
	rm -rf build
