"""rnn_layers: the losses a mistaken `train` minimises instead of the mean squared error, each as
``loss_and_grad(params, signal, target)`` -> (loss, its gradient by the six parameters), like
``reference.loss_and_grad`` (numpy, float64, forward mode).

``of_errors(loss)`` makes one from ``loss(errors)`` -> (value, d value / d errors), where
``errors`` is the network's result minus the target, frames by samples.
"""

from autograder.assignments.rnn_layers import reference as ref


def _outputs(params, signal):
    """Layer 2's activities (frames, samples) and their derivatives by each of the six parameters."""
    import numpy as np  # on first use, as in the reference

    b1, wf1, ws1, b2, wf2, ws2 = params
    x = np.asarray(signal, dtype=float)
    zero = np.zeros(x.shape[1:])
    h1, d1, h2, d2 = zero, [zero] * 3, zero, [zero] * 6
    outs, derivatives = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for frame in x:
            d1 = [1.0 + ws1 * d1[0], frame + ws1 * d1[1], h1 + ws1 * d1[2]]
            h1 = b1 + frame * wf1 + h1 * ws1
            d2 = [wf2 * d1[k] + ws2 * d2[k] for k in range(3)] + [1.0 + ws2 * d2[3], h1 + ws2 * d2[4], h2 + ws2 * d2[5]]
            h2 = b2 + h1 * wf2 + h2 * ws2
            outs.append(h2)
            derivatives.append(d2)
    return np.array(outs), [np.array([d[k] for d in derivatives]) for k in range(6)]


def of_errors(loss):
    """A ``loss_and_grad`` from ``loss(errors)`` -> (value, d value / d errors)."""

    def loss_and_grad(params, signal, target):
        import numpy as np

        outs, derivatives = _outputs(params, signal)
        with np.errstate(all="ignore"):
            value, slope = loss(outs - np.asarray(target, dtype=float))
            return float(value), [float(np.sum(slope * d)) for d in derivatives]

    return loss_and_grad


def _mean_error(e):
    return e.mean(), e * 0.0 + 1.0 / e.size


def _mean_error_the_other_way(e):
    return -e.mean(), e * 0.0 - 1.0 / e.size


def _mean_absolute_error(e):
    import numpy as np

    return np.abs(e).mean(), np.sign(e) / e.size


def _root_mean_squared_error(e):
    import numpy as np

    root = np.sqrt(np.mean(e * e))
    return root, e / (e.size * root)


def _summed_over_frames(e):
    """The squared errors averaged over the samples, summed over the frames."""
    samples = e.shape[1]
    return (e * e).sum() / samples, 2.0 * e / samples


MEAN_ERROR = of_errors(_mean_error)  # (result - target).mean()
MEAN_ERROR_THE_OTHER_WAY = of_errors(_mean_error_the_other_way)  # (target - result).mean()
MEAN_ABSOLUTE_ERROR = of_errors(_mean_absolute_error)
ROOT_MEAN_SQUARED_ERROR = of_errors(_root_mean_squared_error)
SUMMED_OVER_FRAMES = of_errors(_summed_over_frames)


def to_the_partial_sums(params, signal, target):
    """The mean squared error from the partial sums of the signal, whatever the target."""
    import numpy as np

    return ref.loss_and_grad(params, signal, np.cumsum(np.asarray(signal, dtype=float), axis=0))
