"""Hidden graders of the rnn_sum course kit, and the grading command.

``python -m autograder grade PATH... --json OUT`` (see ../shared/CONTRACT.md).
"""
