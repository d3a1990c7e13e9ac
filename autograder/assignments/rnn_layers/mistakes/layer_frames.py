"""rnn_layers: more known mistakes of `layer`, in how it unrolls `cell` over the frames (the
package's docstring says how they work; ``unroll`` computes them)."""

from itertools import permutations

from autograder.assignments.rnn_layers import reference as ref
from autograder.assignments.rnn_layers.mistakes import unroll as u
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake, behaves

IN_ORDER = (0, 1, 2)  # BIAS, WEIGHTF, WEIGHTS as layer was given them


def _wrong_order(order):
    states = u.unless_right(u.unrolled(*u.rewired(order)))
    # with the weights swapped the numbers are those of frame and state swapped: the calls tell
    return u.with_trace(states, u.passes(order)) if order == (0, 2, 1) else states


def _samples_first(params, signal):
    return u.right_states(params, u.transposed(signal))


def _samples_first_gradient(params, signal):
    return ref.layer(params, u.transposed(signal))[1]


def _a_list(cases):
    """Each probe returns a list or tuple of tensors, one per frame."""
    probes = []
    for probe in cases["probes"]:
        frames = len(probe["args"][0])
        items = [{"kind": d.Either(("Tensor", "list"))}] * frames  # of tensors, or of lists (`tolist()`)
        probes.append({"out": {"kind": d.Either(("list", "tuple")), "length": frames, "items": items}})
    return {"probes": probes}


LAYER_FRAMES = [
    Mistake(
        "signal_transposed_samples_first",
        "Your `layer` unrolls along the samples: it takes SIGNAL for (samples, frames), but its first dimension "
        "is the frames. Which dimension does your loop run over?",
        u.unless_right(
            u.either(
                u.unrolled(_samples_first, _samples_first_gradient),
                u.unrolled(lambda p, s: u.transposed(_samples_first(p, s)), _samples_first_gradient),
            )
        ),
    ),
    Mistake(
        "state_never_carried_over",
        "Your `layer` computes every frame from a zero state: the state `cell` returns is never passed on to the "
        "next frame. Which state does each call of `cell` get?",
        u.unless_right(u.unrolled(lambda p, s: [[p[0] + x * p[1] for x in frame] for frame in s])),
    ),
    Mistake(
        "activities_returned_samples_first",
        "Your `layer` computes the right activities but returns them samples first, shape (samples, frames): "
        "the result should have SIGNAL's shape. Along which dimension do you put them together?",
        u.unless_right(u.unrolled(lambda p, s: u.transposed(u.right_states(p, s)), lambda p, s: ref.layer(p, s)[1])),
    ),
    Mistake(
        "layer_returns_a_list",
        "Your `layer` returns a list (or tuple) of the activities of each frame: the task asks for one tensor "
        "of shape (frames, samples). How do you make one tensor of them?",
        _a_list,
    ),
    Mistake(
        "frame_and_state_swapped_in_the_call",
        "Your `layer` passes the state where `cell` expects the frame and the frame where it expects the state: "
        "in which order does `cell` take them?",
        # the numbers of the weights swapped: the calls to `cell` tell
        u.with_trace(u.unless_right(u.unrolled(*u.rewired((0, 2, 1)))), u.passes(IN_ORDER)),
    ),
    Mistake(
        "cell_parameters_passed_in_wrong_order",
        "Your `layer` passes `BIAS`, `WEIGHTF` and `WEIGHTS` to `cell` in another order than `cell` takes them: "
        "which parameter goes in which place?",
        u.either(*(_wrong_order(order) for order in permutations(IN_ORDER) if order != IN_ORDER)),
    ),
    behaves(
        "first_frame_never_fed",
        "Your `layer` starts its unroll at the second frame: its activities are those of SIGNAL without its first "
        "frame. Where does your loop start?",
        u.frame_behaviour(u.first_never_fed),
    ),
    behaves(
        "last_frame_never_fed",
        "Your `layer` gets the activities right for every frame but the last: does your loop reach the last "
        "frame of SIGNAL?",
        u.frame_behaviour(u.last_never_fed),
    ),
    behaves(
        "activities_lag_one_frame",
        "Your `layer` returns each frame's activities one frame late: the state before `cell` takes the frame, "
        "not after. When do you store the state?",
        u.frame_behaviour(u.one_frame_late),
    ),
    behaves(
        "state_not_started_at_zero",
        "Your `layer` follows the recurrence from frame to frame, but from a first state that is not zero: "
        "what state comes before the first frame?",
        u.frame_behaviour(u.recurrent, least_frames=1, somewhere=u.first_state_elsewhere),
    ),
]
