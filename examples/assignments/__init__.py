"""Example answers of an assignment kept in a module of its own, ``examples/assignments/<assignment>.py``
(``python -m autograder new`` writes one): plain data, read by ``examples.answers`` (``MISTAKES`` and
``VARIANTS``, each edit a tuple ``(name, task, what, old, new)``) and ``examples.independent`` (``WAYS``
and ``FIXED``), beside the assignments whose examples those modules hold themselves."""

import importlib

from autograder import settings


def modules():
    """{assignment: its module here} of the course's assignments that have one."""
    found = {}
    for assignment in settings.assignments():
        name = f"{__name__}.{assignment}"
        try:
            found[assignment] = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found
