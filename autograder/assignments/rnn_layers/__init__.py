"""The hidden graders of `rnn_layers`: two stacked recurrent layers that learn the sums of
the partial sums.

One pytest file per graded task (``test_<task>.py``); ``reference.py`` computes, in plain
Python float64, what every function should return; ``stand_ins.py`` holds working versions
of the functions, sent to a notebook only for the later tasks that use them.  Run them on a
notebook with ``pytest autograder/assignments/rnn_layers --notebook NOTEBOOK`` (docs/instructors.md).
"""

from autograder import settings as config

ASSIGNMENT = "rnn_layers"
PARAMS = ("BIAS1", "WEIGHT1F", "WEIGHT1S", "BIAS2", "WEIGHT2F", "WEIGHT2S")  # set in place by the graders
SETTINGS = config.ASSIGNMENTS[ASSIGNMENT]
