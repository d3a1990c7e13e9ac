"""pytest's view of every assignment's graders: ``--notebook``, the fixtures ``cases`` and
``observed``, and each hidden test marked with its task."""

from autograder.runner.pytest_plugin import *  # noqa: F403  (the option, fixtures and hooks: pytest_plugin.__all__)
