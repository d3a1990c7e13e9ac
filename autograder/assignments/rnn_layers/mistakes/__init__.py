"""The typical mistakes of rnn_layers, each as what it returns on the graders' hidden inputs.

As for rnn_sum (``autograder/assignments/rnn_sum/mistakes/``): plain Python float64 from the same inputs
the graders sent, or a behaviour every coding of the mistake shows; a mistake named after an
example answer (examples/answers.py, examples/unforeseen) is the one that example makes; the
sentences never give the solution.  By task: cell.py, layer.py and layer_frames.py (what an
unroll does to its frames; unroll.py computes and reads them), model.py, train.py (train_losses.py:
the losses a mistaken train minimises).
"""

from autograder.assignments.rnn_layers.mistakes.cell import CELL
from autograder.assignments.rnn_layers.mistakes.layer import LAYER
from autograder.assignments.rnn_layers.mistakes.layer_frames import LAYER_FRAMES
from autograder.assignments.rnn_layers.mistakes.model import MODEL
from autograder.assignments.rnn_layers.mistakes.train import TRAIN

MISTAKES = {"cell": CELL, "layer": LAYER + LAYER_FRAMES, "model": MODEL, "train": TRAIN}
