"""The one boundary for untrusted bytes: what a submission's file holds, and every line the
student's process writes, is read and checked here, for type, size and depth, before any other
part of the kit reads it.

Two things cross it:

- **a notebook file** (``notebook``): at most ``NOTEBOOK_MAX_BYTES``, UTF-8 JSON nested at
  most ``MAX_DEPTH`` deep, a list of cells whose parts the kit reads (type, source, nbgrader's
  metadata) of the right types; anything else is ``NotGradable``, with one line saying why;
- **an event line** from the child that runs student code (``event``): one of the events of
  ``autograder.inside.protocol``, with exactly its keys, and a task's observation rebuilt from
  what the protocol allows (``observation``): strings cut to ``MAX_TEXT`` characters, numbers
  that are numbers, lists of bounded length.  Anything else is ``Malformed``.  The child runs
  student code, so it may say anything: what the runner decides itself (a step stopped, timed
  out, over its quota) is never read from it, and an observation that claims to be one
  (``stopped``) is malformed.

Nothing here raises anything but ``NotGradable`` and ``Malformed``, whatever the bytes:
decoding errors, numbers too long to convert and nesting too deep for the parser
(``RecursionError``) included.  Modules: ``notebook`` (a submission's file), ``events`` (what
the student's process sends); what the rest of the kit calls is named here.
"""

from autograder.runner.boundary.events import EVENTS, MAX_TEXT, Malformed, event, observation
from autograder.runner.boundary.notebook import (
    MAX_DEPTH,
    NOTEBOOK_MAX_BYTES,
    Node,
    NotGradable,
    notebook,
    read_notebook,
)

__all__ = [
    "EVENTS",
    "MAX_DEPTH",
    "MAX_TEXT",
    "NOTEBOOK_MAX_BYTES",
    "Malformed",
    "Node",
    "NotGradable",
    "event",
    "notebook",
    "observation",
    "read_notebook",
]
