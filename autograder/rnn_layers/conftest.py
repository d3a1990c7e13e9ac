"""pytest's view of these graders: ``--notebook`` and the fixtures ``cases`` and ``observed``."""

from autograder.hidden_tests import cases, graded, observed, pytest_addoption, pytest_terminal_summary  # noqa: F401
