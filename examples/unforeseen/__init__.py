"""Wrong answers written apart from the kit's diagnosis: the honest measure of how far it reaches.

The kit's own example mistakes (``examples/answers.py``) are each one edit of the master solution,
and the diagnosis was built from them.  These were written afterwards, by other hands, the way
students write: their own names and layouts, each mistake in (at least) two codings, none of
them the coding the kit's examples use.  ``WRONG[assignment]`` lists them; each ``Wrong`` says
which mistake it makes (the name a diagnosis should give it) and is the whole answer cell of
one task, every other task answered right.

``python -m examples.unforeseen`` grades them all and counts, per task, how many carry a
diagnosis with their actual mistake, none, or a wrong name.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    mistake: str  # what went wrong, in snake_case: the name a diagnosis should give it
    task: str  # the task (grade_id of the solution cell) it answers
    coding: str  # how this answer codes the mistake, in a few words
    source: str  # the task's whole answer cell, as the student wrote it

    @property
    def student(self):
        """A folder name of its own in a class of these answers."""
        return f"{self.task}-{self.mistake}-{self.coding_id}"

    @property
    def coding_id(self):
        return "".join(c if c.isalnum() else "_" for c in self.coding.lower())[:40].strip("_")


# Where one diagnosis names what two of these mistakes share (they give the same numbers), the
# name it gives for each: {the answer's mistake: the diagnosis's name}.
SHARED = {"gradients_cleared_before_the_step": "optimizer_never_steps"}  # rnn_layers: no step ever moves a parameter


def own_names(wrong):
    """The names a diagnosis may give this answer: its mistake's, or what it shares with another."""
    return {wrong.mistake, SHARED.get(wrong.mistake, wrong.mistake)}


def verdict(wrong, names):
    """ "right" (named, and only with its own mistake), "none" (not named) or "wrong" (a name that
    is not its mistake)."""
    if not names:
        return "none"
    return "right" if set(names) <= own_names(wrong) else "wrong"
