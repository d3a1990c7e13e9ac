"""pytest's view of these graders: ``--notebook`` and the fixtures ``cases`` and ``observed``."""

from autograder.hidden_tests import (  # noqa: F401
    cases,
    graded,
    observed,
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_terminal_summary,
)
