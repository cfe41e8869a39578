"""Benchmark relulab.relu / relu_dash against floors measured in the same run.

Floors: ``x.copy()`` for allocating calls, ``np.copyto(out, x)`` for ``out=`` calls
(both read the array once and write it once, as an elementwise function must), and
the article's ``np.where`` version for scale. numpy copies on one thread and relulab may
use two, so a copy split over two threads (copy2: the machine's bandwidth) is reported
too. Data has random signs, so branchy code mispredicts as it would on real
activations. Measurements alternate floor/candidate and report medians, because the
machine is shared and noisy.

Targets at 1e7 float64: allocating <= 1.25x x.copy(), out= <= 1.25x np.copyto.

    python bench/bench_core.py            # full table
    python bench/bench_core.py --quick    # fewer sizes and repeats
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import timeit
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import numpy as np

from relulab import article, relu, relu_dash

TARGET = 1.25
_POOL = ThreadPoolExecutor(2)


def copy2(x: np.ndarray) -> np.ndarray:
    """``x.copy()`` in two threads, a half each (numpy lets go of the GIL to copy)."""
    out, h = np.empty_like(x), len(x) // 2
    list(_POOL.map(np.copyto, (out[:h], out[h:]), (x[:h], x[h:])))
    return out


def _interleaved(fns: list, repeat: int) -> list[float]:
    """Median seconds per call of each fn, calls interleaved round-robin."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def _loops(fn, target_s: float = 2e-3) -> int:
    n = 1
    while True:
        t = timeit.timeit(fn, number=n)
        if t >= target_s or n >= 1 << 20:
            return n
        n *= 4


def bench_arrays(sizes: list[int], dtypes: list[type], repeat: int) -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    for dtype in dtypes:
        for n in sizes:
            x = rng.standard_normal(n).astype(dtype)
            out = np.empty_like(x)
            loops = _loops(lambda x=x: x.copy())

            def many(f, loops=loops):
                return lambda: [f() for _ in range(loops)]

            for name, fn, art in (
                ("relu", relu, article.relu),
                ("relu_dash", relu_dash, article.relu_dash),
            ):
                for leak in (0.0, 0.1):
                    copy, copyto, copy_2, alloc, to_out, art_t = _interleaved(
                        [
                            many(lambda x=x: x.copy()),
                            many(lambda x=x, out=out: np.copyto(out, x)),
                            many(lambda x=x: copy2(x)),
                            many(lambda x=x, fn=fn, leak=leak: fn(x, leak)),
                            many(lambda x=x, out=out, fn=fn, leak=leak: fn(x, leak, out=out)),
                            many(lambda x=x, art=art, leak=leak: art(x, leak)),
                        ],
                        repeat,
                    )
                    gbs = {
                        k: 2 * x.nbytes / (t / loops) / 1e9
                        for k, t in (("gbs", alloc), ("gbs_copy", copy), ("gbs_copy2", copy_2))
                    }
                    rows.append(
                        dict(
                            dtype=np.dtype(dtype).name,
                            n=n,
                            fn=name,
                            leak=leak,
                            **gbs,
                            alloc_us=alloc / loops * 1e6,
                            out_us=to_out / loops * 1e6,
                            r_alloc=alloc / copy,
                            r_copy2=alloc / copy_2,
                            r_out=to_out / copyto,
                            r_article=art_t / copy,
                            vs_article=art_t / alloc,
                        )
                    )
    return rows


def bench_scalar() -> list[str]:
    lines = []
    for label, stmt in (
        ("relulab.relu(-2.2, 0.1)", lambda: relu(-2.2, 0.1)),
        ("relulab.relu_dash(-2.2, 0.1)", lambda: relu_dash(-2.2, 0.1)),
        ("article relu(-2.2, 0.1)", lambda: article.relu(-2.2, 0.1)),
        ("article relu_dash(-2.2, 0.1)", lambda: article.relu_dash(-2.2, 0.1)),
        ("floor np.asarray(-2.2).copy()", lambda: np.asarray(-2.2).copy()),
    ):
        n = _loops(stmt, 0.05)
        best = min(timeit.repeat(stmt, number=n, repeat=5)) / n
        lines.append(f"scalar  {label:34s} {best * 1e6:7.2f} us/call")
    return lines


def bench_catalogue(n: int, dtypes: list[type], repeat: int) -> list[str]:
    """Every registered activation and its derivative, as a ratio to x.copy()."""
    from relulab.registry import REGISTRY

    lines = [f"catalogue at n={n:.0e} (default parameters): time and ratio to x.copy()"]
    rng = np.random.default_rng(0)
    for dtype in dtypes:
        x = (rng.standard_normal(n) * 3).astype(dtype)
        for key, act in REGISTRY.items():
            p = act.defaults()
            floor, t_f, t_df = _interleaved(
                [
                    lambda x=x: x.copy(),
                    lambda x=x, act=act, p=p: act(x, **p),
                    lambda x=x, act=act, p=p: act.derivative(x, **p),
                ],
                repeat,
            )
            lines.append(
                f"{np.dtype(dtype).name:8s} {key:11s} f {t_f * 1e3:7.2f} ms {t_f / floor:6.2f}x"
                f"   f' {t_df * 1e3:7.2f} ms {t_df / floor:6.2f}x"
            )
    return lines


def bench_lab() -> str:
    """CPU seconds for the dying-ReLU lab's default run: both networks and their grids."""
    from relulab_app import lab

    X, y = lab.two_moons()
    setting = next(iter(lab.PRESETS.values()))
    times = []
    for _ in range(3):
        t0 = time.process_time()
        for leak in (0.0, setting.leak):
            lab.decision_grid(lab.train(setting, leak, X, y).params, leak)
        times.append(time.process_time() - t0)
    return f"lab     default preset, both networks: {min(times):.2f} s CPU (target <= 2 s)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        sizes, dtypes, repeat = [10**3, 10**5, 10**7], [np.float64], 9
    else:
        sizes, dtypes, repeat = [10**3, 10**4, 10**5, 10**6, 10**7], [np.float64, np.float32], 15
    print(f"numpy {np.__version__}; ratios are medians of {repeat} interleaved runs")
    print(
        f"{'dtype':8s} {'n':>9s} {'function':10s} {'leak':>4s} {'alloc us':>10s} {'GB/s':>6s}"
        f" {'/x.copy':>8s} {'/copy2':>7s} {'out= us':>10s} {'/copyto':>8s}"
        f" {'article/copy':>12s} {'speedup':>8s}"
    )
    rows = bench_arrays(sizes, dtypes, repeat)
    for r in rows:
        print(
            f"{r['dtype']:8s} {r['n']:9.0e} {r['fn']:10s} {r['leak']:4.1f} {r['alloc_us']:10.1f}"
            f" {r['gbs']:6.1f} {r['r_alloc']:7.2f}x {r['r_copy2']:6.2f}x {r['out_us']:10.1f}"
            f" {r['r_out']:7.2f}x {r['r_article']:11.2f}x {r['vs_article']:7.1f}x"
        )
    for line in bench_scalar():
        print(line)
    cat_dtypes = [np.float64] if args.quick else [np.float64, np.float32]
    for line in bench_catalogue(10**6, cat_dtypes, 5 if args.quick else 9):
        print(line)
    print(bench_lab())
    big = [r for r in rows if r["n"] == 10**7 and r["dtype"] == "float64"]
    worst = max(max(r["r_alloc"], r["r_out"]) for r in big)
    verdict = "meets" if worst <= TARGET else "MISSES"
    print(f"target at 1e7 float64: worst ratio {worst:.2f}x ({verdict} <= {TARGET}x)")
    for r in big:
        if r["fn"] == "relu":
            print(
                f"bandwidth at 1e7 float64: x.copy() {r['gbs_copy']:.1f} GB/s, copy2 (two "
                f"threads) {r['gbs_copy2']:.1f} GB/s; relu leak {r['leak']:.1f} {r['gbs']:.1f} "
                f"GB/s: {r['r_alloc']:.2f}x x.copy(), {r['r_copy2']:.2f}x copy2"
            )
    # The same calls on one thread (RELULAB_THREADS=1, read on every call): what a
    # machine with one core, or a caller that turns the threads off, gets.
    with mock.patch.dict(os.environ, {"RELULAB_THREADS": "1"}):
        single = bench_arrays([10**7], [np.float64], repeat)
    for r in single:
        print(
            f"single-thread 1e7 float64 {r['fn']:10s} leak {r['leak']:.1f}: "
            f"{r['r_alloc']:.2f}x x.copy, {r['r_out']:.2f}x np.copyto, {r['r_copy2']:.2f}x copy2"
        )
    worst1 = max(max(r["r_alloc"], r["r_out"]) for r in single)
    print(f"single-thread at 1e7 float64: worst ratio {worst1:.2f}x (threaded {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
