"""pytest's view of these graders: ``--notebook`` and the fixtures ``cases`` and ``observed``."""

from autograder.hidden_tests import *  # noqa: F403  (the option, fixtures and hooks: hidden_tests.__all__)
