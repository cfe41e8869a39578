"""ReLU Lab: ReLU and Leaky ReLU with their derivatives, exact and at memory speed,
and the next lessons' activations (:mod:`relulab.catalogue`) with theirs.

>>> import relulab
>>> relulab.relu([-2.0, 0.0, 3.0], leak=0.1)
array([-0.2,  0. ,  3. ])
>>> relulab.REGISTRY["selu"].derivative(0.0)
np.float64(1.7580993408473766)
"""

from relulab.activations import relu, relu_dash
from relulab.catalogue import (
    elu,
    elu_dash,
    gelu,
    gelu_dash,
    gelu_tanh,
    gelu_tanh_dash,
    prelu,
    prelu_da,
    prelu_dash,
    selu,
    selu_dash,
    sigmoid,
    sigmoid_dash,
    silu,
    silu_dash,
    softplus,
    softplus_dash,
    tanh,
    tanh_dash,
)
from relulab.registry import REGISTRY, Activation, Param

__all__ = [
    "REGISTRY",
    "Activation",
    "Param",
    "elu",
    "elu_dash",
    "gelu",
    "gelu_dash",
    "gelu_tanh",
    "gelu_tanh_dash",
    "prelu",
    "prelu_da",
    "prelu_dash",
    "relu",
    "relu_dash",
    "selu",
    "selu_dash",
    "sigmoid",
    "sigmoid_dash",
    "silu",
    "silu_dash",
    "softplus",
    "softplus_dash",
    "tanh",
    "tanh_dash",
]
__version__ = "0.2.0"
