"""The article's own implementation, verbatim, kept for comparison.

The page shows it beside :func:`relulab.relu`, the tests check that the library agrees
with it wherever it is right, and the benchmark measures it as the baseline. It
returns ``nan`` for ``relu(-inf)`` (``0 * -inf``), ``1`` for ``relu_dash(nan)``, and
integers from ``relu_dash`` when ``leak`` is 0; :mod:`relulab.activations` fixes those.
"""

import numpy as np


def relu(x, leak=0):  # ReLU
    return np.where(x <= 0, leak * x, x)


def relu_dash(x, leak=0):  # ReLU derivative
    return np.where(x <= 0, leak, 1)
