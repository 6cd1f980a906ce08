#!/usr/bin/env python3
"""The paper's networks in PyTorch, for drsn's side-by-side benchmark and logit cross-check.

Run with Debian's python3 (which has python3-torch), not a pyenv/venv Python:
  /usr/bin/python3 drsn.bench/python/drsn_torch.py bench --threads 1 --json out.json
  /usr/bin/python3 drsn.bench/python/drsn_torch.py logits model.safetensors input.npy
  /usr/bin/python3 drsn.bench/python/drsn_torch.py crosscheck DIR   (files from drsn.bench.PeerCrossCheck)

The networks mirror drsn.nn exactly (names, shapes, initialisation, shortcut):
  stem Conv1d(in, w0, k, stride 2, pad k//2), no BN/ReLU after it;
  stages of widths w_s, each a strided unit (stride 2) then plain units;
  unit branch: BN -> ReLU -> Conv(k, stride) -> BN -> ReLU -> Conv(k) = x;
    convnet: x;  resnet: x + shortcut;  senet: x * s + shortcut;
    drsn-cw: softthreshold(x, alpha_c * g_c) + shortcut;  drsn-cs: softthreshold(x, alpha * mean_c g) + shortcut;
  shortcut: subsample by the stride, pad new channels with zeros symmetrically (odd one at the end);
  head: BN -> ReLU -> global average pooling -> Linear(classes).
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FAMILIES = ("convnet", "resnet", "senet", "drsn-cs", "drsn-cw")


class Shortcut(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.cin, self.cout, self.stride = cin, cout, stride

    def forward(self, x):
        if self.stride > 1:
            x = x[:, :, ::self.stride]
        if self.cout != self.cin:
            extra = self.cout - self.cin
            before = extra // 2
            x = F.pad(x, (0, 0, before, extra - before))
        return x


def soft_threshold(x, tau):
    return torch.sign(x) * torch.clamp(x.abs() - tau, min=0.0)


class Unit(nn.Module):
    def __init__(self, family, cin, cout, kernel, stride, se_reduction):
        super().__init__()
        self.family = family
        self.bn1 = nn.BatchNorm1d(cin)
        self.conv1 = nn.Conv1d(cin, cout, kernel, stride=stride, padding=kernel // 2)
        self.bn2 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, kernel, stride=1, padding=kernel // 2)
        if family == "senet":
            hidden = max(1, cout // se_reduction)
            self.fc1 = nn.Linear(cout, hidden)
            self.fc2 = nn.Linear(hidden, cout)
        elif family in ("drsn-cs", "drsn-cw"):
            self.fc1 = nn.Linear(cout, cout)
            self.bnf = nn.BatchNorm1d(cout)
            self.fc2 = nn.Linear(cout, cout if family == "drsn-cw" else 1)
        self.shortcut = None if family == "convnet" else Shortcut(cin, cout, stride)
        self.last_tau = None

    def forward(self, inp):
        x = self.conv1(F.relu(self.bn1(inp)))
        x = self.conv2(F.relu(self.bn2(x)))
        if self.family == "convnet":
            return x
        if self.family == "resnet":
            y = x
        elif self.family == "senet":
            s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(dim=2)))))
            y = x * s.unsqueeze(2)
        else:
            g = x.abs().mean(dim=2)                                   # [N, C]
            alpha = torch.sigmoid(self.fc2(F.relu(self.bnf(self.fc1(g)))))
            if self.family == "drsn-cw":
                tau = alpha * g                                       # [N, C]
            else:
                tau = (alpha[:, 0] * g.mean(dim=1)).unsqueeze(1).expand_as(g)
            self.last_tau = tau.detach()
            y = soft_threshold(x, tau.unsqueeze(2))
        return y + self.shortcut(inp)


class Net(nn.Module):
    def __init__(self, family="drsn-cw", in_channels=1, classes=8, widths=(4, 8, 16),
                 units_per_stage=(4, 4, 4), kernel=3, se_reduction=4):
        super().__init__()
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}, got {family}")
        self.stem = nn.Conv1d(in_channels, widths[0], kernel, stride=2, padding=kernel // 2)
        units = []
        cin = widths[0]
        for width, count in zip(widths, units_per_stage):
            for u in range(count):
                units.append(Unit(family, cin, width, kernel, 2 if u == 0 else 1, se_reduction))
                cin = width
        self.units = nn.ModuleList(units)
        self.bn = nn.BatchNorm1d(cin)
        self.fc = nn.Linear(cin, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stem(x)
        for u in self.units:
            x = u(x)
        x = F.relu(self.bn(x))
        return self.fc(x.mean(dim=2))


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- safetensors (no extra package)

def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        arr = np.frombuffer(raw[base + start:base + end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, meta


def model_from_metadata(meta):
    def ints(key, default):
        v = meta.get(key)
        if v is None:
            return default
        return tuple(int(t) for t in json.loads(v)) if v.strip().startswith("[") else (int(v),)
    return Net(family=meta.get("family", "drsn-cw"),
               in_channels=ints("input_channels", (1,))[0],
               classes=ints("classes", (8,))[0],
               widths=ints("widths", (4, 8, 16)),
               units_per_stage=ints("units_per_stage", (4, 4, 4)),
               kernel=ints("kernel", (3,))[0],
               se_reduction=ints("se_reduction", (4,))[0])


def cmd_logits(args):
    tensors, meta = read_safetensors(args.model)
    model = model_from_metadata(meta)
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit(f"checkpoint does not match the network: missing {missing}, unexpected {unexpected}")
    model.eval()
    x = torch.from_numpy(np.load(args.input).astype(np.float32))
    with torch.no_grad():
        logits = model(x).numpy()
    if args.out:
        np.save(args.out, logits)
    if args.expected:
        expected = np.load(args.expected)
        diff = float(np.max(np.abs(expected - logits)))
        print(json.dumps({"max_abs_diff": diff, "tolerance": args.tolerance, "ok": diff <= args.tolerance}))
        return 0 if diff <= args.tolerance else 1
    print(json.dumps({"logits": logits.tolist()}))
    return 0


def cmd_crosscheck(args):
    """For each family with files in DIR (written by drsn.bench.PeerCrossCheck): <family>.safetensors,
    <family>-x.npy (inputs) and <family>-logits.npy (drsn's evaluation-mode logits). One line per
    family; exit status 1 when any family fails or is missing."""
    failures = 0
    families = args.models.split(",")
    for family in families:
        paths = [os.path.join(args.dir, family + suffix) for suffix in (".safetensors", "-x.npy", "-logits.npy")]
        missing_files = [p for p in paths if not os.path.isfile(p)]
        if missing_files:
            print(f"FAIL {family:8s} missing {', '.join(missing_files)}")
            failures += 1
            continue
        tensors, meta = read_safetensors(paths[0])
        if meta.get("family", family) != family:
            print(f"FAIL {family:8s} checkpoint metadata says family {meta.get('family')}")
            failures += 1
            continue
        model = model_from_metadata(meta)
        missing, unexpected = model.load_state_dict(tensors, strict=False)
        missing = [m for m in missing if not m.endswith("num_batches_tracked")]
        if missing or unexpected:
            print(f"FAIL {family:8s} checkpoint does not match the PyTorch network: missing {missing}, "
                  f"unexpected {unexpected}")
            failures += 1
            continue
        model.eval()
        x = torch.from_numpy(np.load(paths[1]).astype(np.float32))
        expected = np.load(paths[2])
        with torch.no_grad():
            logits = model(x).numpy()
        if logits.shape != expected.shape:
            print(f"FAIL {family:8s} logits shaped {logits.shape}, drsn wrote {expected.shape}")
            failures += 1
            continue
        diff = float(np.max(np.abs(expected - logits)))
        spread = float(np.max(np.abs(expected)))
        # Running statistics must be non-trivial, or the check would not test them.
        rm = [v for k, v in tensors.items() if k.endswith("running_mean")]
        stats_moved = max(float(t.abs().max()) for t in rm) > 0 if rm else False
        ok = diff <= args.tolerance and stats_moved and np.isfinite(diff)
        failures += 0 if ok else 1
        print(f"{'PASS' if ok else 'FAIL'} {family:8s} {parameter_count(model):6d} parameters, {x.shape[0]} inputs: "
              f"max |logit diff| = {diff:.3g} (tolerance {args.tolerance:g}; largest |logit| {spread:.3g}; "
              f"running stats {'trained' if stats_moved else 'STILL AT THEIR INITIAL VALUES'})")
    return 1 if failures else 0


# ---------------------------------------------------------------- benchmark

def percentile(sorted_values, q):
    idx = min(len(sorted_values) - 1, max(0, int(math.ceil(q * len(sorted_values))) - 1))
    return sorted_values[idx]


def warm(fn, seconds, minimum):
    """Runs fn at least `minimum` times and for at least `seconds` (the Java side warms up the same way)."""
    t_end = time.perf_counter() + seconds
    n = 0
    while n < minimum or time.perf_counter() < t_end:
        fn()
        n += 1


def bench_one(family, threads, length, classes, batch, seconds, warmup=3.0):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Net(family=family, classes=classes)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, 1, length)
    y = torch.randint(0, classes, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    model.train()
    warm(step, warmup, 3)
    times = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(times) < 5:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    train_step = percentile(times, 0.5)

    model.eval()
    x1 = torch.randn(1, 1, length)
    lat = []
    with torch.no_grad():
        warm(lambda: model(x1), warmup, 50)
        t_end = time.perf_counter() + seconds
        while time.perf_counter() < t_end or len(lat) < 100:
            t0 = time.perf_counter()
            model(x1)
            lat.append(time.perf_counter() - t0)
        lat.sort()
        xb = torch.randn(batch, 1, length)
        warm(lambda: model(xb), warmup, 1)
        runs = []
        t_end = time.perf_counter() + seconds
        while time.perf_counter() < t_end or len(runs) < 5:
            t0 = time.perf_counter()
            model(xb)
            runs.append(time.perf_counter() - t0)
        runs.sort()
    return {
        "framework": f"pytorch {torch.__version__}",
        "model": family,
        "threads": threads,
        "batch": batch,
        "length": length,
        "classes": classes,
        "parameters": parameter_count(model),
        "train_step_ms": train_step * 1e3,
        "train_samples_per_s": batch / train_step,
        "infer_batch1_p50_us": percentile(lat, 0.5) * 1e6,
        "infer_batch1_p99_us": percentile(lat, 0.99) * 1e6,
        "infer_batch_samples_per_s": batch / percentile(runs, 0.5),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def cmd_bench(args):
    rows = []
    for family in args.models.split(","):
        rows.append(bench_one(family.strip(), args.threads, args.length, args.classes, args.batch, args.seconds, args.warmup))
    text = json.dumps(rows, indent=2)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)
    return 0


def cmd_count(args):
    for family in FAMILIES:
        print(family, parameter_count(Net(family=family, classes=args.classes)))
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="time training and inference of the paper's networks")
    b.add_argument("--models", default="convnet,resnet,drsn-cs,drsn-cw")
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--length", type=int, default=2048)
    b.add_argument("--classes", type=int, default=8)
    b.add_argument("--batch", type=int, default=128)
    b.add_argument("--seconds", type=float, default=5.0, help="timed seconds per measurement")
    b.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per measurement")
    b.add_argument("--json")
    lg = sub.add_parser("logits", help="load a drsn model.safetensors and compute logits for an .npy input")
    lg.add_argument("model")
    lg.add_argument("input")
    lg.add_argument("--out")
    lg.add_argument("--expected", help="an .npy of drsn's logits to compare with")
    lg.add_argument("--tolerance", type=float, default=1e-4)
    xc = sub.add_parser("crosscheck", help="compare drsn's logits with PyTorch's for every family in a folder")
    xc.add_argument("dir")
    xc.add_argument("--models", default="convnet,resnet,senet,drsn-cs,drsn-cw")
    xc.add_argument("--tolerance", type=float, default=1e-4)
    c = sub.add_parser("count", help="parameter counts of the paper's networks")
    c.add_argument("--classes", type=int, default=8)
    args = p.parse_args(argv)
    return {"bench": cmd_bench, "logits": cmd_logits, "count": cmd_count,
            "crosscheck": cmd_crosscheck}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
