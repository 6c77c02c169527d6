"""Repeat a measurement, keep median, min and max; read a process's memory from /proc."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def summary(samples: list[float]) -> dict[str, float | int]:
    """{median, min, max, n} of samples in seconds."""
    if not samples:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "n": 0}
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
    }


def repeat(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> dict:
    """Time fn() `runs` times (setup() before each, not timed)."""
    samples = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summary(samples)


def interleave(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, dict]:
    """Time several functions in turn (a, b, a, b, …) so the two sides of a ratio see the same load."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: summary(values) for name, values in samples.items()}


def ratio(numerator: dict | float, denominator: dict | float) -> float:
    """Median over median (or plain numbers)."""
    a = numerator["median"] if isinstance(numerator, dict) else numerator
    b = denominator["median"] if isinstance(denominator, dict) else denominator
    return float("nan") if not b else a / b


def load_average() -> list[float]:
    """1, 5 and 15-minute load averages: other work on the machine shows here."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
