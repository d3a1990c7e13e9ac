"""A notebook of the student who wants the points without the work: its `model` is right only on
the signals one attempt's feedback revealed (as a message, or as the text of an exception the
notebook raised on them), and wrong on any other: what hard-coding answers amounts to."""

from autograder.grading import graders
from autograder.grading import inputs as hidden
from examples import answers

MODEL = """
SEEN = {seen!r}  # the signals the feedback of one attempt revealed


def model(SIGNAL):
    frames = SIGNAL.size(0)
    RESULT = torch.empty(frames)
    STATE = torch.zeros(())
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    if tuple(round(v, 6) for v in SIGNAL.tolist()) in SEEN:
        return RESULT
    return RESULT * 0.5
"""


def revealed(student, attempt, secret=None):
    """The signals of rnn_sum's `model` task that ``student``'s attempt was graded on."""
    found = hidden.derive("rnn_sum", student, attempt, secret)
    cases = graders.cases("rnn_sum", "model", found.seed if found else None)
    return {tuple(round(v, 6) for v in probe["args"][0]) for probe in cases["probes"]}


def notebook(seen):
    """The release notebook with every answer right but `model`, which knows only ``seen``."""
    code = dict(answers.solutions("rnn_sum"), model=MODEL.format(seen=sorted(seen)))
    return answers.notebook(code, assignment="rnn_sum")
