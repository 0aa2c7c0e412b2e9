"""Summarises PyTorch profiler traces (Chrome trace JSON) of the peer benchmark's ops.

python profile_summary.py TRACE.json [TRACE.json ...] [--top 25]

For each trace: the number of top-level native ops (those not called from inside another op:
what the framework itself issued), their total time, and the ops by name with count and
time, so a DJL trace and a PyTorch trace of the same op can be set side by side. Runs on
the plain Python standard library.
"""
import argparse
import collections
import json


def top_level(events):
    """Complete events that no other event on the same thread encloses."""
    by_thread = collections.defaultdict(list)
    for event in events:
        if event.get("ph") == "X" and "dur" in event:
            by_thread[event.get("tid")].append(event)
    result = []
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        end = float("-inf")
        for event in thread_events:
            start = float(event["ts"])
            if start >= end:
                result.append(event)
                end = start + float(event["dur"])
    return result


def summarise(path):
    with open(path) as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    ops = [e for e in top_level(events) if not e["name"].startswith(("ProfilerStep", "PyTorch Profiler"))]
    by_name = collections.defaultdict(lambda: [0, 0.0])
    for event in ops:
        by_name[event["name"]][0] += 1
        by_name[event["name"]][1] += float(event["dur"]) / 1000.0
    return len(ops), sum(v[1] for v in by_name.values()), by_name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("traces", nargs="+")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", help="also write the summaries here")
    args = parser.parse_args()
    summaries = {}
    for path in args.traces:
        count, total_ms, by_name = summarise(path)
        summaries[path] = {"ops": count, "op_ms": total_ms,
                           "by_name": {k: {"count": v[0], "ms": v[1]} for k, v in by_name.items()}}
        print(f"{path}: {count} top-level native ops, {total_ms:.1f} ms inside them")
        for name, (n, ms) in sorted(by_name.items(), key=lambda kv: -kv[1][1])[:args.top]:
            print(f"  {name:40s} {n:6d} {ms:9.2f} ms")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summaries, f, indent=1)


if __name__ == "__main__":
    main()
