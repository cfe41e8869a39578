"""The dying-ReLU lab: gradients, the dead-unit count, presets, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from relulab import lab


@pytest.mark.parametrize("leak", [0.0, 0.1, 0.3])
def test_gradients_match_central_finite_differences(leak):
    X, y = lab.two_moons(20, seed=3)
    params = lab.init_params(lab.Setting(width=5, bias_shift=0.3, seed=2))
    _, grads, cache = lab.loss_and_grads(params, X, y, leak)
    # away from kinks: no pre-activation within h of 0
    assert min(np.abs(cache[1]).min(), np.abs(cache[3]).min()) > 1e-4
    h = 1e-6
    for p, g in zip(params, grads, strict=True):
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(0, flat.size, max(1, flat.size // 7)):
            old = flat[i]
            flat[i] = old + h
            up = lab.loss_and_grads(params, X, y, leak)[0]
            flat[i] = old - h
            down = lab.loss_and_grads(params, X, y, leak)[0]
            flat[i] = old
            assert gflat[i] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-8)


def test_dead_fraction_on_a_hand_made_case():
    z1 = np.array([[-1.0, 2.0, 0.0], [-3.0, -1.0, 0.0]])  # units 0 and 2 dead, unit 1 alive
    z2 = np.array([[0.5], [-0.5]])  # alive
    assert lab.dead_fraction([z1, z2]) == 2 / 4


def test_dead_relu_units_get_no_gradient():
    X, y = lab.two_moons(50)
    params = lab.init_params(lab.Setting(bias_shift=-2.0))
    _, grads, cache = lab.loss_and_grads(params, X, y, 0.0)
    dead = np.all(cache[1] <= 0, axis=0)
    assert dead.any()
    assert np.all(grads[0][:, dead] == 0) and np.all(grads[1][dead] == 0)


@pytest.mark.parametrize("name", ["Negative bias start", "Too large a learning rate"])
def test_presets_show_relu_units_dying_and_leaky_ones_surviving(name):
    X, y = lab.two_moons()
    setting = lab.PRESETS[name]
    relu_h, leaky_h = lab.train(setting, 0.0, X, y), lab.train(setting, 0.1, X, y)
    assert relu_h.dead[-1] >= leaky_h.dead[-1] + 0.35
    assert relu_h.accuracy <= 0.9 < 0.95 <= leaky_h.accuracy


def test_control_preset_trains_both():
    X, y = lab.two_moons()
    setting = lab.PRESETS["Healthy start (control)"]
    for leak in (0.0, 0.1):
        assert lab.train(setting, leak, X, y).accuracy >= 0.98


def test_training_is_deterministic():
    X, y = lab.two_moons()
    s = lab.Setting(epochs=50)
    a, b = lab.train(s, 0.1, X, y), lab.train(s, 0.1, X, y)
    assert a.loss == b.loss and a.dead == b.dead
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


def test_same_initial_weights_for_both_networks():
    s = lab.Setting()
    assert all(
        np.array_equal(p, q) for p, q in zip(lab.init_params(s), lab.init_params(s), strict=True)
    )


def test_progress_is_reported():
    seen = []
    X, y = lab.two_moons(40)
    lab.train(lab.Setting(epochs=100), 0.1, X, y, progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]
