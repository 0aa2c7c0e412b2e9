"""Timing helpers shared by the PyTorch peers of the platform's networks.

Each peer prints one JSON object on stdout: {"network": ..., "parameters": n, "tensors": k,
"threads": t, "ops": {name: {"median_ms": m, "runs": [ms, ...]}}}. The DJL side
(io.recap.experiments.peer.PeerBenchmark) prints the same shape, so run.sh can pair them.
"""
import json
import statistics
import sys
import time

import torch


def setup(threads):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)


# Untimed calls before an inference op's timed ones, as long as PeerBenchmark's WARMUP_SECONDS: the
# JVM needs them to compile its side; here they cost nothing and keep the two sides' protocol equal.
WARMUP_SECONDS = 8.0


def time_op(fn, warmup, repeats, warmup_seconds=0.0):
    """Runs fn warmup times and then for at least warmup_seconds, then repeats times; returns the
    wall times of the timed runs in ms."""
    until = time.perf_counter() + warmup_seconds
    for _ in range(warmup):
        fn()
    while time.perf_counter() < until:
        fn()
    runs = []
    for _ in range(repeats):
        begin = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - begin) * 1000.0)
    return runs


def count(module):
    params = [p for p in module.parameters()]
    return sum(p.numel() for p in params), len(params)


def report(network, module, threads, ops, out=sys.stdout, extra=None):
    """extra: further top-level fields of the peer's JSON object (e.g. its check difference)."""
    parameters, tensors = count(module)
    json.dump({
        "network": network,
        "side": "pytorch",
        "version": torch.__version__,
        "parameters": parameters,
        "tensors": tensors,
        "threads": threads,
        "ops": {name: {"median_ms": statistics.median(runs), "runs": runs} for name, runs in ops.items()},
        **(extra or {}),
    }, out)
    out.write("\n")
