"""pytest's view of these graders: ``--notebook`` and the fixtures ``cases`` and ``observed``."""

from autograder.hidden_tests import cases, graded, observed, pytest_addoption  # noqa: F401
