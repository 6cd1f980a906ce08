#!/usr/bin/env python3
"""Compares drsn's training-mode gradients with PyTorch's, for files written by drsn.bench.TorchCrossCheck.

  /usr/bin/python3 drsn.bench/python/grad_check.py DIR [--tolerance 1e-4]

For each family: loads DIR/<family>.safetensors into drsn_torch.Net, runs it in training mode on
DIR/x.npy with labels 0, 1, ..., back-propagates the mean cross-entropy and compares the flat
gradient vector with DIR/<family>-grads.npy (relative to the largest gradient).

Typical agreement is ~1e-5. Occasionally (seed 3 for drsn-cw, seed 4 for drsn-cs at batch 4) a
DRSN differs by up to ~3e-2 in the first layers' gradients while the loss agrees to 1e-6: the
shrinkage subnetwork's batch norm over a batch of 4 nearly equal samples amplifies rounding, so
thresholds differ by ~5e-6 relative and an element within ~1e-5 of a ReLU kink lands on the other
side. PyTorch float32 itself differs from float64 by ~7e-4 in those same gradients. Larger
batches or other seeds agree to ~1e-5.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drsn_torch as dt  # noqa: E402


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args(argv)
    ok = True
    x = torch.from_numpy(np.load(os.path.join(args.dir, "x.npy")))
    for fam in dt.FAMILIES:
        tensors, meta = dt.read_safetensors(os.path.join(args.dir, fam + ".safetensors"))
        model = dt.model_from_metadata(meta)
        model.load_state_dict(tensors, strict=False)
        model.train()
        labels = torch.arange(x.shape[0]) % model.fc.out_features
        F.cross_entropy(model(x), labels).backward()
        ours = np.load(os.path.join(args.dir, fam + "-grads.npy"))
        theirs = torch.cat([q.grad.flatten() for q in model.parameters()]).numpy()
        rel = float(np.max(np.abs(ours - theirs)) / max(1e-12, float(np.max(np.abs(theirs)))))
        good = rel <= args.tolerance
        ok &= good
        print(json.dumps({"model": fam, "max_rel_diff": rel, "ok": good}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
