"""The typical mistakes of rnn_sum, each as what it returns on the graders' hidden inputs.

A task that loses points names the mistakes its observation agrees with
(``autograder.grading.diagnosis``).  Each prediction is computed here in plain Python float64 from the
same inputs the graders sent, like ``reference.py``; a mistake named after an example answer
(examples/answers.py) is the one that example makes.  The sentences say what the code seems to
do and ask a question to act on; none of them gives the solution.
"""

from autograder.assignments.rnn_sum.mistakes.cell import CELL
from autograder.assignments.rnn_sum.mistakes.partial_sum_loss import PARTIAL_SUM_LOSS
from autograder.assignments.rnn_sum.mistakes.train import TRAIN
from autograder.assignments.rnn_sum.mistakes.unroll import BATCHED_MODEL, MODEL

MISTAKES = {
    "cell": CELL,
    "model": MODEL,
    "partial_sum_loss": PARTIAL_SUM_LOSS,
    "batched_model": BATCHED_MODEL,
    "train": TRAIN,
}
