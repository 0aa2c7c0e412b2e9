"""Pairs the DJL and PyTorch rounds of the peer benchmark and writes OUT/summary.json.

python compare.py OUT [PERFORMANCE_JSON]

With PERFORMANCE_JSON (docs/performance.json), also writes the summary there, which is where the
project keeps its measured numbers.

Per op: each side's time is the median over rounds of that round's median; the ratio is
PyTorch time / DJL time (1.0 = even, >= 0.91 meets the goal of DJL at most 1.1x PyTorch);
round_ratios are the same ratio round by round, so their spread shows the machine's noise.
Prints a markdown table. Standard library only.
"""
import glob
import json
import os
import statistics
import sys

# The keys docs/performance.json reports under "peer", by op.
RATIO_NAMES = {
    "t2i_train_step_b32": "train_step_ratio",
    "t2i_forward_b2": "forward_b2_ratio",
    "t2i_sample_b1": "sample_ratio_b1",
    "t2i_sample_b16": "sample_ratio_b16",
    "cap_train_step_b32": "captioner_train_step_ratio",
    "cap_greedy_b1": "captioner_greedy_b1_ratio",
    "cap_greedy_b32": "captioner_greedy_b32_ratio",
}


def load(out, network, side):
    runs = {}
    for path in glob.glob(os.path.join(out, f"{network}-{side}-*.json")):
        round_id = int(path.rsplit("-", 1)[1].split(".")[0])
        with open(path) as f:
            text = f.read().strip()
        if text:
            runs[round_id] = json.loads(text.splitlines()[-1] if side == "pytorch" else text)
    return runs


def machine():
    """The CPU model and core count, from /proc/cpuinfo where there is one."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "threads_per_side": 1}


def main():
    out = sys.argv[1]
    summary = {"ops": {}, "peer": {}, "networks": {}}
    for network in ("t2i", "captioner"):
        djl, torch = load(out, network, "djl"), load(out, network, "pytorch")
        rounds = sorted(set(djl) & set(torch))
        if not rounds:
            continue
        first_djl, first_torch = djl[rounds[0]], torch[rounds[0]]
        summary["networks"][network] = {
            "rounds": len(rounds),
            "djl": first_djl["version"], "pytorch": first_torch["version"],
            "parameters": [first_djl["parameters"], first_torch["parameters"]],
            "tensors": [first_djl["tensors"], first_torch["tensors"]],
            "checks": {k: v for k, v in first_torch.items() if k.startswith("check_")},
            "skipped_steps": {"djl": sum(djl[r].get("skipped_steps", 0) for r in rounds),
                              "pytorch": sum(torch[r].get("skipped_steps", 0) for r in rounds)},
        }
        before = load(out, network, "before")
        for op in first_djl["ops"]:
            if op not in first_torch["ops"]:
                continue
            d = [djl[r]["ops"][op]["median_ms"] for r in rounds]
            t = [torch[r]["ops"][op]["median_ms"] for r in rounds]
            entry = {
                "djl_ms": statistics.median(d),
                "pytorch_ms": statistics.median(t),
                "round_ratios": [round(tt / dd, 3) for tt, dd in zip(t, d)],
            }
            entry["ratio"] = round(entry["pytorch_ms"] / entry["djl_ms"], 3)
            b = [before[r]["ops"][op]["median_ms"] for r in rounds if r in before and op in before[r]["ops"]]
            if b:
                entry["before_ms"] = statistics.median(b)
                entry["before_ratio"] = round(entry["pytorch_ms"] / entry["before_ms"], 3)
            summary["ops"][op] = entry
            if op in RATIO_NAMES:
                summary["peer"][RATIO_NAMES[op]] = entry["ratio"]
                if "before_ratio" in entry:
                    summary.setdefault("peer_before", {})[RATIO_NAMES[op]] = entry["before_ratio"]
    summary["machine"] = machine()
    targets = [os.path.join(out, "summary.json")] + sys.argv[2:3]
    for target in targets:
        with open(target, "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")
    print("| op | DJL before ms | DJL ms | PyTorch ms | DJL / PyTorch (before) | ratio PyTorch / DJL (before) | per round |")
    print("|---|---|---|---|---|---|---|")
    for op, e in summary["ops"].items():
        before_ms = f"{e['before_ms']:.1f}" if "before_ms" in e else "-"
        before_x = f" ({e['before_ms'] / e['pytorch_ms']:.2f}x)" if "before_ms" in e else ""
        before_r = f" ({e['before_ratio']:.2f})" if "before_ratio" in e else ""
        print(f"| {op} | {before_ms} | {e['djl_ms']:.1f} | {e['pytorch_ms']:.1f} | {e['djl_ms'] / e['pytorch_ms']:.2f}x"
              f"{before_x} | {e['ratio']:.2f}{before_r} | {', '.join(f'{r:.2f}' for r in e['round_ratios'])} |")
    for network, info in summary["networks"].items():
        print(f"{network}: {info['rounds']} rounds, {info['djl']} vs PyTorch {info['pytorch']}, "
              f"parameters {info['parameters']}, tensors {info['tensors']}, checks {info['checks']}, "
              f"skipped steps {info['skipped_steps']}")
    print("wrote " + ", ".join(targets))


if __name__ == "__main__":
    main()
