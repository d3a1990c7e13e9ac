"""The graders' plain-Python reference agrees with torch in float64."""

import random

import pytest
import torch

from autograder.assignments.rnn_sum import reference as ref


def _torch_params(params):
    return [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]


def _torch_unroll(params, signal):
    b, wf, ws = params
    state = torch.zeros(signal.shape[1:], dtype=torch.float64)
    states = []
    for frame in signal:
        state = b + frame * wf + state * ws
        states.append(state)
    return torch.stack(states)


@pytest.mark.parametrize("shape", [(1,), (7,), (1, 3), (5, 4)])
def test_unroll_values_and_gradients_match_torch(shape):
    """Hidden states and d(sum)/d(params) of the recurrence equal torch autograd's."""
    rng = random.Random(1)
    params = ref.random_params(rng)
    signal = ref.uniform(rng, shape)
    values, grads = ref.unroll(params, signal)
    tp = _torch_params(params)
    expected = _torch_unroll(tp, torch.tensor(signal, dtype=torch.float64))
    expected.sum().backward()
    assert torch.allclose(torch.tensor(values, dtype=torch.float64), expected.detach(), rtol=1e-12)
    assert torch.allclose(torch.tensor(grads, dtype=torch.float64), torch.stack([p.grad for p in tp]), rtol=1e-12)


def test_unroll_at_trained_values_is_cumsum():
    """With BIAS=0, WEIGHTF=WEIGHTS=1 the states are the partial sums."""
    signal = ref.uniform(random.Random(2), (6, 3))
    values, _ = ref.unroll([0.0, 1.0, 1.0], signal)
    assert torch.allclose(torch.tensor(values), torch.tensor(signal).cumsum(0))


def test_cell_matches_torch():
    rng = random.Random(3)
    params = ref.random_params(rng)
    frame, state = ref.uniform(rng, (4,)), ref.uniform(rng, (4,))
    values, grads = ref.cell(params, frame, state)
    tp = _torch_params(params)
    out = tp[0] + torch.tensor(frame, dtype=torch.float64) * tp[1] + torch.tensor(state, dtype=torch.float64) * tp[2]
    out.sum().backward()
    assert torch.allclose(torch.tensor(values, dtype=torch.float64), out.detach())
    assert torch.allclose(torch.tensor(grads, dtype=torch.float64), torch.stack([p.grad for p in tp]))


def test_loss_and_its_gradient_match_torch():
    rng = random.Random(4)
    result, target = ref.uniform(rng, (5, 3)), ref.uniform(rng, (5, 3))
    value, grad = ref.partial_sum_loss(result, target)
    r = torch.tensor(result, dtype=torch.float64, requires_grad=True)
    loss = torch.square(r - torch.tensor(target, dtype=torch.float64)).mean()
    loss.backward()
    assert value == pytest.approx(loss.item(), rel=1e-12)
    assert torch.allclose(torch.tensor(grad, dtype=torch.float64).reshape(5, 3), r.grad)


def test_sgd_matches_torch_optim_sgd():
    """The reference training run equals torch.optim.SGD step for step, in float64."""
    rng = random.Random(5)
    signal = ref.uniform(rng, (5, 8))
    target = torch.tensor(signal, dtype=torch.float64).cumsum(0)
    start = [0.3, 0.7, 0.8]
    losses, params = ref.sgd(start, signal, target.tolist(), 7, 0.05)
    tp = _torch_params(start)
    optimizer = torch.optim.SGD(tp, lr=0.05)
    expected = []
    for _ in range(7):
        loss = torch.square(_torch_unroll(tp, torch.tensor(signal, dtype=torch.float64)) - target).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.item())
    assert losses == pytest.approx(expected, rel=1e-10)
    assert params == pytest.approx([p.item() for p in tp], rel=1e-10)


def test_compare_values_reports_shape_then_worst_element():
    got = {"kind": "tensor", "shape": [3], "values": [1.0, 2.0, 9.0]}
    assert "expected shape (2,), got shape (3,)" in ref.compare_values("f(x)", got, [1, 2], [2], 1e-4, 1e-5)
    message = ref.compare_values("f(x)", got, [1.0, 2.5, 3.0], [3], 1e-4, 1e-5)
    assert "element [2] is 9, expected 3" in message
    assert ref.compare_values("f(x)", got, [1.0, 2.0, 9.0], [3], 1e-4, 1e-5) is None
    nan = {"kind": "tensor", "shape": [1], "values": [float("nan")]}
    assert "is nan" in ref.compare_values("f(x)", nan, [1.0], [1], 1e-4, 1e-5)
