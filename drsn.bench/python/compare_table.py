#!/usr/bin/env python3
"""Builds the side-by-side table (Markdown and JSON) from the per-configuration JSON files written by
drsn.bench.PeerBench (drsn-<model>-t<threads>.json) and drsn_torch.py bench (torch-<model>-t<threads>.json).

  /usr/bin/python3 drsn.bench/python/compare_table.py DIR [--machine DIR/machine.json]

Writes DIR/compare.md and DIR/compare.json and prints the Markdown. Standard library only.
"""
import argparse
import glob
import json
import os
import sys

MODELS = ("convnet", "resnet", "drsn-cs", "drsn-cw", "senet")
NAMES = {"convnet": "ConvNet", "resnet": "ResNet", "drsn-cs": "DRSN-CS", "drsn-cw": "DRSN-CW", "senet": "SE-ResNet"}

# (key in the per-configuration JSON, label, unit, which direction is better)
METRICS = (
    ("train_step_ms", "training step, batch 128", "ms", "lower"),
    ("train_samples_per_s", "training throughput, batch 128", "samples/s", "higher"),
    ("infer_batch1_p50_us", "inference latency, batch 1, median", "µs", "lower"),
    ("infer_batch1_p99_us", "inference latency, batch 1, p99", "µs", "lower"),
    ("infer_batch_samples_per_s", "inference throughput, batch 128", "samples/s", "higher"),
    ("peak_rss_mb", "peak resident memory (whole process)", "MB", "lower"),
)


def load(path):
    with open(path) as f:
        data = json.load(f)
    return data[0] if isinstance(data, list) else data


def fmt(v):
    if v is None:
        return "—"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ratio(v):
    return "—" if v is None else f"{v:.2f}"


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--machine")
    args = p.parse_args(argv)
    configs = {}
    for side in ("drsn", "torch"):
        for path in glob.glob(os.path.join(args.dir, f"{side}-*-t*.json")):
            row = load(path)
            configs[(side, row["model"], int(row["threads"]))] = row
    models = [m for m in MODELS if any(k[1] == m for k in configs)]
    threads = sorted({k[2] for k in configs})
    rows = []
    for m in models:
        for key, label, unit, better in METRICS:
            for t in threads:
                d = configs.get(("drsn", m, t), {}).get(key)
                q = configs.get(("torch", m, t), {}).get(key)
                ratio = d / q if d is not None and q not in (None, 0) else None
                if ratio is None:
                    verdict = None
                else:
                    verdict = "drsn" if (ratio < 1) == (better == "lower") else "pytorch"
                rows.append({"model": m, "metric": key, "label": label, "unit": unit, "threads": t,
                             "better": better, "drsn": d, "pytorch": q, "ratio": ratio, "faster_or_smaller": verdict})
    machine = {}
    if args.machine and os.path.isfile(args.machine):
        with open(args.machine) as f:
            machine = json.load(f)
    frameworks = sorted({c.get("framework", "?") for c in configs.values()})
    micro = sorted({c.get("micro_batch") for k, c in configs.items() if k[0] == "drsn" and c.get("micro_batch")})
    out = {"machine": machine, "frameworks": frameworks, "rows": rows,
           "raw": [dict(c, side=k[0]) for k, c in sorted(configs.items())]}
    with open(os.path.join(args.dir, "compare.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")

    lines = ["# drsn vs PyTorch: the paper's networks (L = 2048, 8 classes)", ""]
    lines.append("Frameworks: " + "; ".join(frameworks) + ".")
    if machine:
        lines.append(f"Machine: {machine.get('cpu', '?')}, {machine.get('cpus', '?')} CPUs; load average before the "
                     f"run {machine.get('load_before', '?')}, after {machine.get('load_after', '?')} "
                     f"({machine.get('date', '')}).")
    lines.append("Each (model, threads) configuration ran in its own process, drsn then PyTorch back to back; "
                 "medians over timed repetitions after warm-up. drsn trains with fixed micro-batches of "
                 f"{', '.join(str(x) for x in micro) or '?'} (ghost batch norm), PyTorch with batch norm over the "
                 "whole batch; both SGD, momentum 0.9, weight decay 1e-4. drsn's batch-1 inference runs on one "
                 "thread whatever the thread count; its batch-128 inference splits the batch over the threads. "
                 "Peak resident memory: VmHWM (JVM, heap cap in the JSON) vs ru_maxrss (Python).")
    lines.append("")
    lines.append("Ratio = drsn / PyTorch: below 1 is better for drsn on times and memory, above 1 on throughput.")
    lines.append("")
    lines.append("| model | metric | threads | drsn | PyTorch | drsn/PyTorch | better |")
    lines.append("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        lines.append(f"| {NAMES.get(r['model'], r['model'])} | {r['label']} ({r['unit']}) | {r['threads']} | "
                     f"{fmt(r['drsn'])} | {fmt(r['pytorch'])} | "
                     f"{fmt_ratio(r['ratio'])} | "
                     f"{r['faster_or_smaller'] or '—'} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.dir, "compare.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
