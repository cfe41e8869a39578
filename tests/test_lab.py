"""The dying-ReLU lab: a hand-computed network, gradients, Adam's first step, the dead-unit
count, presets, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relulab_app import lab


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


def test_forward_and_loss_on_a_hand_computed_network():
    # Width 1, leak 0.1, every number worked out by hand:
    #   x = (1, 1): z1 = 1 - 2 + 0.5 = -0.5  -> a1 = -0.05;  z2 = 3(-0.05) - 1 = -1.15
    #               -> a2 = -0.115;  logit = 2(-0.115) + 0.25 = 0.02
    #   x = (0, 1): z1 = -2 + 0.5 = -1.5     -> a1 = -0.15;  z2 = -0.45 - 1 = -1.45
    #               -> a2 = -0.145;  logit = 2(-0.145) + 0.25 = -0.04
    params = [np.array(v, dtype=float) for v in ([[1], [-2]], [0.5], [[3]], [-1], [[2]], [0.25])]
    X, y = np.array([[1.0, 1.0], [0.0, 1.0]]), np.array([1.0, 0.0])
    logits, cache = lab.forward(params, X, 0.1)
    np.testing.assert_allclose(logits, [0.02, -0.04], rtol=1e-12)
    np.testing.assert_allclose(cache[1][:, 0], [-0.5, -1.5], rtol=1e-12)
    np.testing.assert_allclose(cache[3][:, 0], [-1.15, -1.45], rtol=1e-12)
    # binary cross-entropy of sigmoid(logit): -log(sigmoid(0.02)) and -log(1 - sigmoid(-0.04))
    want = (math.log1p(math.exp(-0.02)) + math.log1p(math.exp(-0.04))) / 2
    assert lab.loss_and_grads(params, X, y, 0.1)[0] == pytest.approx(want, rel=1e-12)
    assert lab.dead_fraction([cache[1], cache[3]]) == 1.0  # both units <= 0 everywhere


@pytest.mark.parametrize("leak", [0.0, 0.1])
def test_first_adam_step_moves_each_weight_by_the_learning_rate(leak):
    # Adam's first step, bias-corrected: m = g and v = g**2, so every weight moves by
    # lr * g / (|g| + eps), i.e. by the learning rate against its gradient's sign
    # (Kingma & Ba, 2015, section 2.1), and a weight with no gradient does not move.
    X, y = lab.two_moons(60, seed=4)
    s = lab.Setting(width=6, epochs=1, learning_rate=0.03, bias_shift=-0.2, seed=5)
    start = lab.init_params(s)
    _, grads, _ = lab.loss_and_grads(start, X, y, leak)
    after = lab.train(s, leak, X, y).params
    for p0, g, p1 in zip(start, grads, after, strict=True):
        np.testing.assert_allclose(p0 - p1, 0.03 * g / (np.abs(g) + 1e-8), rtol=1e-9, atol=1e-15)
    assert any(np.any(g == 0) for g in grads) == (leak == 0)  # dead ReLU units: no gradient


def test_both_networks_start_from_the_settings_weights():
    # The lab compares ReLU with Leaky ReLU from the same start: each network's first
    # loss is the loss of init_params(setting) under its own activation.
    X, y = lab.two_moons(80)
    s = lab.Setting(width=8, epochs=2, seed=7)
    for leak in (0.0, 0.1):
        first = lab.train(s, leak, X, y).loss[0]
        assert first == lab.loss_and_grads(lab.init_params(s), X, y, leak)[0]


def test_initial_weights_follow_the_setting():
    # He initialisation: standard deviation sqrt(2 / fan_in); hidden biases at the shift;
    # another seed gives other weights.
    s = lab.Setting(width=64, bias_shift=-0.7, seed=3)
    W1, b1, W2, b2, W3, b3 = lab.init_params(s)
    assert W1.shape == (2, 64) and W2.shape == (64, 64) and W3.shape == (64, 1)
    assert W2.std() == pytest.approx(math.sqrt(2 / 64), rel=0.05)  # 4096 draws
    assert W1.std() == pytest.approx(1.0, rel=0.15)  # 128 draws
    assert np.all(b1 == -0.7) and np.all(b2 == -0.7) and np.all(b3 == 0)
    other = lab.init_params(lab.Setting(width=64, bias_shift=-0.7, seed=4))
    assert not np.array_equal(W2, other[2])


def test_progress_is_reported():
    seen = []
    X, y = lab.two_moons(40)
    lab.train(lab.Setting(epochs=100), 0.1, X, y, progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]


# --- the lab's sentence on dead units follows its numbers --------------------------------


def _history(*dead: float) -> lab.History:
    return lab.History(dead=list(dead))


def test_text_says_leaky_relu_has_more_dead_units_when_it_has():
    """The healthy start leaves Leaky ReLU with more units at input <= 0 than ReLU (10
    against 9 of 64): the sentence once set them "against" each other as if Leaky ReLU
    had fewer, and said its units could recover, which the run never showed."""
    setting = lab.Setting(width=32)
    text = lab.dead_units_text(setting, _history(0.1, 9 / 64), _history(0.1, 10 / 64))
    assert "(9 of 64)" in text and "(10 of 64)" in text
    assert "has more" in text
    assert not any(w in text for w in ("fewer", "against", "recover", "came back"))


@pytest.mark.parametrize(
    ("relu", "leaky", "says"),
    [(52, 5, "has fewer"), (9, 9, "has as many"), (0, 0, "has none either"), (3, 0, "has none")],
)
def test_text_compares_the_counts_it_shows(relu, leaky, says):
    setting = lab.Setting(width=32)
    text = lab.dead_units_text(setting, _history(relu / 64), _history(leaky / 64))
    assert says in text
    for n in {relu, leaky} - {0}:
        assert f"({n} of 64)" in text


def test_text_says_units_came_back_only_when_the_count_fell():
    setting = lab.Setting(width=32)
    fell = lab.dead_units_text(setting, _history(0.8, 0.8), _history(0.75, 0.5, 0.125))
    assert "at epoch 1 there were 48, so at least 40 came back" in fell
    assert fell.count("came back") == 1  # ReLU's count never fell
    rose = lab.dead_units_text(setting, _history(0.8, 0.8), _history(0.0, 0.125))
    assert "came back" not in rose and "recover" not in rose


def test_text_at_leak_zero_claims_no_difference():
    setting = lab.Setting(width=32, leak=0.0)
    h = _history(0.5, 0.5)
    text = lab.dead_units_text(setting, h, h)
    assert "both networks are ReLU" in text and "× the gradient" not in text


@pytest.mark.parametrize("name", list(lab.PRESETS))
def test_every_presets_text_follows_its_runs(name):
    setting = lab.PRESETS[name]
    X, y = lab.two_moons(seed=setting.seed)
    relu_h, leaky_h = lab.train(setting, 0.0, X, y), lab.train(setting, setting.leak, X, y)
    text = lab.dead_units_text(setting, relu_h, leaky_h)
    units = 2 * setting.width
    r, k = (round(h.dead[-1] * units) for h in (relu_h, leaky_h))
    assert f"({r} of {units})" in text and f"({k} of {units})" in text
    assert ("has fewer" in text) == (k < r) and ("has more" in text) == (k > r)
