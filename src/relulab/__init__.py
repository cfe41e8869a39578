"""ReLU Lab: ReLU and Leaky ReLU with their derivatives, exact and at memory speed.

>>> import relulab
>>> relulab.relu([-2.0, 0.0, 3.0], leak=0.1)
array([-0.2,  0. ,  3. ])
"""

from relulab.activations import relu, relu_dash
from relulab.registry import REGISTRY, Activation, Param

__all__ = ["REGISTRY", "Activation", "Param", "relu", "relu_dash"]
__version__ = "0.1.0"
