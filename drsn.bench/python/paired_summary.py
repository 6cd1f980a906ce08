#!/usr/bin/env python3
"""Paired comparison of each model against a reference model from NoiseExperiment's noise-runs.csv
or UcrExperiment's ucr-runs.csv.

Runs with the same noise, SNR (or data set) and seed saw the same data, so the per-seed difference
in test accuracy is the fair comparison. Prints a Markdown table of the mean paired difference
(percentage points) with wins/ties/losses per cell, then a pooled line per model with a two-sided
sign test over all paired runs.

    python3 drsn.bench/python/paired_summary.py drsn.bench/target/noise/noise-runs.csv [--reference resnet]
    python3 drsn.bench/python/paired_summary.py drsn.bench/target/ucr/ucr-runs.csv

Only the standard library: runs with any python3.
"""
import argparse
import csv
import math
import statistics
import sys
from collections import OrderedDict, defaultdict


def sign_test_p(wins, losses):
    """Two-sided exact binomial test of wins vs losses (ties dropped) under p = 1/2."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="noise-runs.csv file(s) (concatenated)")
    ap.add_argument("--reference", default="resnet")
    args = ap.parse_args()

    acc = {}  # (model, noise, snr, seed) -> accuracy
    models, noises, snrs = OrderedDict(), OrderedDict(), OrderedDict()
    for path in args.runs:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                # UCR runs: one "noise" group, the data sets as its columns.
                noise = row.get("noise", "UCR")
                column = row["snr_db"] if "snr_db" in row else row["dataset"]
                key = (row["model"], noise, column, row["seed"])
                acc[key] = float(row["accuracy"])
                models[row["model"]] = None
                noises[noise] = None
                snrs[column] = None
    ref = args.reference
    if ref not in models:
        sys.exit(f"reference model {ref} is not in the runs (models: {', '.join(models)})")
    others = [m for m in models if m != ref]
    numeric = all(_is_number(s) for s in snrs)
    snr_list = sorted(snrs, key=float) if numeric else list(snrs)
    unit = " dB" if numeric else ""

    pooled = defaultdict(list)
    for noise in noises:
        title = f"{noise} noise" if numeric else noise
        print(f"\n**{title}: paired difference to {ref}, percentage points (wins/ties/losses)**\n")
        print("| model | " + " | ".join(f"{s}{unit}" for s in snr_list) + " |")
        print("|---|" + "---|" * len(snr_list))
        for m in others:
            cells = []
            for s in snr_list:
                diffs = []
                for (mm, nn, ss, seed), a in acc.items():
                    if mm == m and nn == noise and ss == s and (ref, noise, s, seed) in acc:
                        diffs.append(100 * (a - acc[(ref, noise, s, seed)]))
                if not diffs:
                    cells.append("—")
                    continue
                pooled[m].extend(diffs)
                w = sum(d > 0 for d in diffs)
                t = sum(d == 0 for d in diffs)
                lo = sum(d < 0 for d in diffs)
                cells.append(f"{statistics.mean(diffs):+.2f} ({w}/{t}/{lo})")
            print(f"| {m} | " + " | ".join(cells) + " |")

    print(f"\nPooled over every cell and seed (paired with {ref}):\n")
    for m in others:
        d = pooled[m]
        if not d:
            continue
        w = sum(x > 0 for x in d)
        t = sum(x == 0 for x in d)
        lo = sum(x < 0 for x in d)
        sd = statistics.stdev(d) if len(d) > 1 else 0.0
        print(f"- {m}: mean {statistics.mean(d):+.2f} points (sd {sd:.2f}) over {len(d)} paired runs; "
              f"{w} wins, {t} ties, {lo} losses; sign test p = {sign_test_p(w, lo):.2g}")


if __name__ == "__main__":
    main()
