#!/usr/bin/env python3
"""What the shrinkage units learned, from the runs CSVs of NoiseExperiment or UcrExperiment.

For every shrinking model and cell (noise and SNR, or data set), the mean over seeds of: the
threshold scale alpha = tau / mean|x| averaged over units, its spread over samples (per channel, so
how much the threshold subnetwork adapts alpha to the individual input; older CSVs without it give
the spread over samples and channels together), and the fraction of residual-branch features set to
zero, each for the untrained network (same seed, evaluation mode) and for the trained one.

    python3 drsn.bench/python/shrinkage_summary.py drsn.bench/target/noise/noise-runs.csv

Only the standard library.
"""
import csv
import statistics
import sys
from collections import OrderedDict


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    groups = OrderedDict()
    for path in sys.argv[1:]:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if not row.get("mean_alpha"):
                    continue
                cell = (f"{row['noise']} {row['snr_db']} dB" if "snr_db" in row else row["dataset"])
                groups.setdefault((row["model"], cell), []).append(row)
    if not groups:
        sys.exit("no run with shrinkage statistics (mean_alpha) in " + ", ".join(sys.argv[1:]))
    sample = all("alpha_sample_sd" in r for rows in groups.values() for r in rows)
    spread = "alpha_sample_sd" if sample else "alpha_sd"
    what = "α spread over samples" if sample else "α spread over samples and channels"
    print(f"| model | cell | seeds | test accuracy | mean α: untrained → trained | {what}: untrained → trained "
          "| zeroed: untrained → trained |")
    print("|---|---|---:|---:|---|---|---|")
    for (model, cell), rows in groups.items():
        def m(key):
            return statistics.mean(float(r[key]) for r in rows)
        print(f"| {model} | {cell} | {len(rows)} | {100 * m('accuracy'):.2f} % "
              f"| {m('init_mean_alpha'):.3f} → {m('mean_alpha'):.3f} "
              f"| {m('init_' + spread):.3f} → {m(spread):.3f} "
              f"| {100 * m('init_zeroed_fraction'):.1f} % → {100 * m('zeroed_fraction'):.1f} % |")


if __name__ == "__main__":
    main()
