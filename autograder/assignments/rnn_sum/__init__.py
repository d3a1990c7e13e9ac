"""The hidden graders of `rnn_sum`: a recurrent network that learns to add.

One pytest file per graded task (``test_<task>.py``); ``reference.py`` computes, in plain
Python float64, what every function should return; ``stand_ins.py`` holds working versions
of the functions, sent to a notebook only for the later tasks that use them.  Run them on a
notebook with ``pytest autograder/assignments/rnn_sum --notebook NOTEBOOK`` (docs/instructors.md).
"""

from autograder import settings as config

ASSIGNMENT = "rnn_sum"
PARAMS = ("BIAS", "WEIGHTF", "WEIGHTS")  # set in place by the graders before each probe
SETTINGS = config.ASSIGNMENTS[ASSIGNMENT]
