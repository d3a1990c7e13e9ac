# The kit's commands.  Everything runs in .venv at the repository root.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# nbgrader runs alembic from the venv's bin/ when it creates a gradebook
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help venv goldens demo test bench clean

help:
	@echo "make demo     build release/ and solutions/, grade the example class, write grades and feedback"
	@echo "make test     run the kit's tests"
	@echo "make goldens  regenerate release/ and solutions/ from source/ on purpose"
	@echo "make bench    run the benchmarks under bench/"

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# make the kit (autograder/, course_config.py) importable from .venv, kernels included
	$(PYTHON) -c "import site, os; open(os.path.join(site.getsitepackages()[0], 'rnn_sum_kit.pth'), 'w').write(os.getcwd() + '\n')"
	# nbgrader run from .venv (the Validate button in JupyterLab included) uses course_config.py
	mkdir -p $(VENV)/etc/jupyter
	printf 'c = get_config()\nload_subconfig(%s)\n' "'$(CURDIR)/course_config.py'" > $(VENV)/etc/jupyter/nbgrader_config.py
	touch $(STAMP)

venv: $(STAMP)

goldens: venv
	$(PYTHON) -m autograder.course build

demo: venv
	$(PYTHON) -m examples.demo

test: venv
	$(PYTHON) -m pytest

bench: venv
	$(PYTHON) bench/convergence.py
	$(PYTHON) bench/class_speed.py
	$(PYTHON) bench/validate_speed.py

clean:
	rm -rf build submitted autograded feedback gradebook.db
