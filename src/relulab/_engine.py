"""Input checks and the elementwise runner shared by every activation.

An activation supplies a *kernel factory*: ``factory(dtype, block_len)`` returns
``kernel(x_block, out_block)`` that fills ``out_block`` from ``x_block`` with a few
numpy ufunc calls (its scratch buffers and constants are made once by the factory).

Why blocks: a two-step formula such as ``maximum(x, leak * x)`` run on whole arrays
streams memory twice. Run block by block, the intermediate stays in the core's L2
cache, so memory is read once and written once, as by ``x.copy()``. Large arrays are
also split into one stripe per core: numpy releases the GIL inside ufunc loops, so
two threads really run in parallel.
"""

from __future__ import annotations

import math
import numbers
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

Kernel = Callable[[np.ndarray, np.ndarray], None]
KernelFactory = Callable[[np.dtype, int], Kernel]

# 512 KiB per block: measured best on 2-core machines with 1 MiB L2 per core (smaller
# blocks pay more per-call overhead, larger ones spill the cache; see bench_core.py).
BLOCK_BYTES = 1 << 19
# Below this many bytes a second thread costs more than it saves.
PARALLEL_MIN_BYTES = 1 << 21


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_CPUS = _cpus()


def _max_threads() -> int:
    """Threads for one large call: ``RELULAB_THREADS`` if set, else the usable cores (<= 4)."""
    env = os.environ.get("RELULAB_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(_CPUS, 4))


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _get_pool(workers: int) -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers < workers:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relulab")
        return _pool


def _describe(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def check_param(name: str, value: object) -> float:
    """Return ``value`` as a finite Python float, or raise naming the parameter.

    Examples
    --------
    >>> check_param("leak", 0.1)
    0.1
    >>> check_param("leak", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: leak must be a finite real number; got nan
    """
    if type(value) is float and math.isfinite(value):  # the common case, fast
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number such as 0.1; got the bool {value!r}")
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a real number such as 0.1; got the text {_describe(value)}"
            " (convert it with float(...) first)"
        )
    if isinstance(value, (complex, np.complexfloating)):
        raise TypeError(f"{name} must be a real number; got the complex number {value!r}")
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number such as 0.1; got {type(value).__name__}"
            f" {_describe(value)}"
        )
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite real number; got {_describe(value)}") from None
    if not math.isfinite(result):
        raise ValueError(f"{name} must be a finite real number; got {result}")
    return result


_FLOAT_MAX = {np.dtype(t): float(np.finfo(t).max) for t in (np.float16, np.float32, np.float64)}


def param_in_dtype(name: str, value: float, dtype: np.dtype) -> np.floating:
    """``value`` in the computation's dtype; a value that overflows it is an error."""
    if abs(value) <= _FLOAT_MAX.get(dtype, math.inf):
        return dtype.type(value)
    with np.errstate(over="ignore"):
        cast = dtype.type(value)
    if not np.isfinite(cast):
        raise ValueError(
            f"{name}={value!r} is too large for {dtype} input (largest is"
            f" {np.finfo(dtype).max}); pass x as float64"
        )
    return cast


_KIND_HINTS = {
    "c": "complex numbers; pass x.real if you meant the real part",
    "U": "text; convert it with np.asarray(x, dtype=float) first",
    "S": "bytes; convert it with np.asarray(x, dtype=float) first",
    "O": (
        "Python objects (dtype object): a None, a mix of types, or an integer too large for float64"
    ),
    "M": "dates (datetime64)",
    "m": "time spans (timedelta64)",
    "V": "structured records",
}


def as_real_array(x: object, name: str = "x") -> tuple[np.ndarray, bool]:
    """``x`` as a floating ndarray, and whether that array is a fresh copy.

    Float16/32/64 arrays are used as they are (no copy); integers and bools are
    converted to float64; anything else raises naming what was expected.
    """
    try:
        arr = np.asarray(x)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array of real numbers: every row the same"
            " length (this one is ragged)"
        ) from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr, False
    if kind in "iub":
        return arr.astype(np.float64), True
    what = _KIND_HINTS.get(kind, f"dtype {arr.dtype}")
    raise TypeError(f"{name} must be an array of real numbers; got {what}")


def check_out(out: object, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array; got {type(out).__name__}")
    if out.shape != shape or out.dtype != dtype:
        raise ValueError(
            f"out must be a {dtype} array of shape {shape} (the result's dtype and"
            f" shape); got {out.dtype} of shape {out.shape}"
        )
    if not out.flags.writeable:
        raise ValueError("out must be writeable; got a read-only array")
    return out


def _stripe(factory: KernelFactory, x: np.ndarray, out: np.ndarray) -> None:
    n = x.size
    block = min(n, max(1, BLOCK_BYTES // x.itemsize))
    kernel = factory(x.dtype, block)
    # errstate is per thread: overflow to ±inf and inf*0 inside kernels are expected.
    with np.errstate(all="ignore"):
        if n == block:
            kernel(x, out)
            return
        for start in range(0, n, block):
            stop = start + block
            kernel(x[start:stop], out[start:stop])


def _run(factory: KernelFactory, x: np.ndarray, out: np.ndarray) -> None:
    """Fill 1-D contiguous ``out`` from ``x``, in stripes on several cores if large."""
    n = x.size
    if n == 0:
        return
    threads = (
        1
        if x.nbytes < 2 * PARALLEL_MIN_BYTES
        else min(_max_threads(), x.nbytes // PARALLEL_MIN_BYTES)
    )
    if threads == 1:
        _stripe(factory, x, out)
        return
    block = BLOCK_BYTES // x.itemsize
    step = -(-n // threads // block) * block  # stripes start on block boundaries
    bounds = [(i, min(i + step, n)) for i in range(0, n, step)]
    pool = _get_pool(len(bounds) - 1)
    futures = [pool.submit(_stripe, factory, x[a:b], out[a:b]) for a, b in bounds[1:]]
    a, b = bounds[0]
    _stripe(factory, x[a:b], out[a:b])
    for future in futures:
        future.result()


def elementwise(
    factory: KernelFactory, x: np.ndarray, fresh: bool, out: np.ndarray | None
) -> np.ndarray | np.floating:
    """Apply a kernel to every element of ``x`` (from :func:`as_real_array`).

    Returns ``out`` when given, a numpy scalar for 0-d input, else a new array.
    ``fresh`` says ``x`` is a private copy that may be overwritten.
    """
    if not x.flags.c_contiguous:
        x, fresh = np.ascontiguousarray(x), True
    if out is None:
        dest = x if fresh else np.empty(x.shape, x.dtype)
        _run(factory, x.reshape(-1), dest.reshape(-1))
        return dest[()] if dest.ndim == 0 else dest
    out = check_out(out, x.shape, x.dtype)
    same = out.__array_interface__["data"][0] == x.__array_interface__["data"][0]
    if out.flags.c_contiguous and (same or not np.may_share_memory(x, out)):
        # Kernels read each block of x before writing it, so out=x is safe.
        _run(factory, x.reshape(-1), out.reshape(-1))
    else:
        # Partial overlap or a strided out: compute aside, then copy.
        dest = x if fresh else np.empty(x.shape, x.dtype)
        _run(factory, x.reshape(-1), dest.reshape(-1))
        np.copyto(out, dest)
    return out
