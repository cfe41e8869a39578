"""ReLU Lab: ReLU and Leaky ReLU with their derivatives, exact and at memory speed,
and the next lessons' activations (:mod:`relulab.catalogue`) with theirs.

>>> import relulab
>>> relulab.relu([-2.0, 0.0, 3.0], leak=0.1)
array([-0.2,  0. ,  3. ])
>>> relulab.REGISTRY["selu"].derivative(0.0)
np.float64(1.7580993408473766)
"""

from relulab import catalogue
from relulab.activations import relu, relu_dash
from relulab.catalogue import *  # noqa: F403 -- every catalogue function, listed once there
from relulab.registry import REGISTRY, Activation, Kink, Param

__all__ = ["REGISTRY", "Activation", "Kink", "Param", "relu", "relu_dash", *catalogue.__all__]
__version__ = "0.2.0"
