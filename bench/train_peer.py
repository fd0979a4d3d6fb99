#!/usr/bin/env python3
"""PyTorch peer of bench/TrainBench.java: the same network as cxr4j's NetSpec.cxrNet(224, 16, [1,1,2,2], 0.2, 4),
the same masked 224x224 inputs, normalisation, labels, batches, loss, optimizer settings and protocol.
Keep the two files in step.

  train_peer.py --images DIR --threads T [--steps 20] [--calls 100] [--warmup-steps 5] [--warmup-calls 10]
                [--batch 32] [--seed 7] [--split S]
      prints one JSON line (same fields as TrainBench)
  train_peer.py --images DIR --check DUMP      (DUMP written by TrainBench --dump)
      loads cxr4j's parameters into this network and compares eval logits and batch-norm running statistics;
      prints one JSON line with the parameter counts and the largest differences; exit status 1 on mismatch.

Everything that is not the measured call happens once before the warm-up.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

SIZE, WIDTH, BLOCKS, DROPOUT, CLASSES = 224, 16, (1, 1, 2, 2), 0.2, 4
WEIGHT_DECAY, LR, SMOOTHING = 0.05, 1e-3, 0.1


def conv(cin, cout, k, stride):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)


def bn(c):
    # DJL BatchNorm.optMomentum(0.9f) keeps 0.9 of the old running value = PyTorch momentum 0.1; eps 1e-5 both
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)


class Residual(nn.Module):
    """relu(main(x) + shortcut(x)); main = conv3x3(stride) BN ReLU conv3x3 BN; shortcut = conv1x1(stride) BN or identity."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        # registration order = DJL parameter order (main branch, then shortcut)
        self.conv1 = conv(cin, cout, 3, stride)
        self.bn1 = bn(cout)
        self.conv2 = conv(cout, cout, 3, 1)
        self.bn2 = bn(cout)
        self.shortcut = nn.Sequential(conv(cin, cout, 1, stride), bn(cout)) if (stride != 1 or cin != cout) else None

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(y + s)


class CxrNet(nn.Module):
    def __init__(self, width=WIDTH, blocks=BLOCKS, dropout=DROPOUT, classes=CLASSES):
        super().__init__()
        self.stem_conv = conv(1, width, 5, 2)
        self.stem_bn = bn(width)
        layers, cin = [], width
        for stage, nb in enumerate(blocks):
            cout = width << stage
            for b in range(nb):
                layers.append(Residual(cin, cout, 2 if (b == 0 and stage > 0) else 1))
                cin = cout
        self.blocks = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem_conv(x)))
        x = self.blocks(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(self.dropout(x))


# ---------------------------------------------------------------- inputs (identical to TrainBench)

def load_inputs(images):
    files = sorted(f for f in os.listdir(images) if f.endswith(".png"))
    if not files:
        sys.exit(f"no .png in {images}")
    norm = []
    for f in files:
        im = Image.open(os.path.join(images, f))
        a = np.asarray(im)
        if im.mode != "L" or a.shape != (SIZE, SIZE):
            sys.exit(f"{f}: expected 8-bit grey {SIZE}x{SIZE}, got mode {im.mode} shape {a.shape}")
        norm.append(normalise(a))
    return files, np.stack(norm)  # (n, 224, 224) float32


def normalise(a):
    """z-score over the non-zero pixels (lung region), 0 elsewhere; same formula as cxr4j's InputRecipe.normalise."""
    v = a.astype(np.float64)
    nz = a != 0
    n = int(nz.sum())
    out = np.zeros(a.shape, np.float32)
    if n == 0:
        return out
    s, s2 = v[nz].sum(), (v[nz] * v[nz]).sum()
    mean = s / n
    std = max(math.sqrt(max(s2 / n - mean * mean, 1e-6)), 1.0)
    out[nz] = ((v[nz] - mean) / std).astype(np.float32)
    return out


def labels(n, seed):
    """64-bit LCG (Knuth's MMIX constants), label = (x >> 33) mod classes; same as TrainBench.labels."""
    m, x, out = (1 << 64) - 1, seed & ((1 << 64) - 1), []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & m
        out.append((x >> 33) % CLASSES)
    return out


def batches(norm, lab, batch):
    n = len(norm)
    nb = math.lcm(n, batch) // batch
    xs, ts = [], []
    for b in range(nb):
        idx = [(b * batch + j) % n for j in range(batch)]
        xs.append(torch.from_numpy(np.ascontiguousarray(norm[idx][:, None, :, :])))
        t = np.full((batch, CLASSES), SMOOTHING / CLASSES, np.float32)
        for j, i in enumerate(idx):
            t[j, lab[i]] += 1 - SMOOTHING
        ts.append(torch.from_numpy(t))
    return xs, ts


def checksum(norm):
    """sum |v|, sum v^2, sum v * (i % 13 + 1) over each image's flat index i (TrainBench computes the same)."""
    v = norm.reshape(len(norm), -1).astype(np.float64)
    wgt = (np.arange(v.shape[1]) % 13 + 1).astype(np.float64)
    return [float(np.abs(v).sum()), float((v * v).sum()), float((v * wgt).sum())]


def pct(a, p):
    """Nearest-rank percentile (same definition as TrainBench.pct)."""
    s = sorted(a)
    i = math.ceil(p / 100.0 * len(s)) - 1
    return s[max(0, min(len(s) - 1, i))]


def r(v, d):
    return round(float(v), d)


# ---------------------------------------------------------------- benchmark

def train_step(model, opt, x, t, w, probs_out):
    """Same order as cxr4j's NetTrainer.step: forward, loss, backward, read loss + probs, optimizer step."""
    opt.zero_grad(set_to_none=True)
    logp = F.log_softmax(model(x), dim=1)
    loss = (-(logp * t).sum(dim=1) * w).sum() / w.sum()
    loss.backward()
    value = loss.item()
    probs_out[:] = logp.detach().exp().numpy()
    opt.step()
    return value


def bench(a):
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    files, norm = load_inputs(a.images)
    lab = labels(len(files), a.seed)
    xs, ts = batches(norm, lab, a.batch)
    w = torch.ones(a.batch)
    model = CxrNet()
    trainable = sum(p.numel() for p in model.parameters())
    running = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    out = {
        "side": "pytorch", "threads": a.threads,
        "engine_threads": torch.get_num_threads(), "engine_interop_threads": torch.get_num_interop_threads(),
        "engine": f"PyTorch {torch.__version__} (python {sys.version.split()[0]}, numpy {np.__version__})",
        "images": len(files), "batch": a.batch,
        "input_checksum": checksum(norm),
        "labels": lab,
        "param_count": trainable + running, "param_count_trainable": trainable, "bn_running_stats": running,
    }
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    model.train()
    probs = np.zeros((a.batch, CLASSES), np.float32)
    b, nb = 0, len(xs)
    first = float("nan")
    for i in range(a.warmup_steps):
        v = train_step(model, opt, xs[b], ts[b], w, probs)
        first = v if i == 0 else first
        b = (b + 1) % nb
    step_ms, last = [], float("nan")
    t0 = time.perf_counter()
    for i in range(a.steps):
        s0 = time.perf_counter()
        last = train_step(model, opt, xs[b], ts[b], w, probs)
        step_ms.append((time.perf_counter() - s0) * 1e3)
        b = (b + 1) % nb
    train_s = time.perf_counter() - t0
    if a.split > 0:
        out_split = split(model, opt, xs, ts, w, a.split, b)
    out.update({
        "warmup_steps": a.warmup_steps, "steps": a.steps,
        "train_images_per_s": r(a.steps * a.batch / train_s, 3),
        "step_ms_mean": r(sum(step_ms) / len(step_ms), 3), "step_ms_p50": r(pct(step_ms, 50), 3),
        "loss_first_warmup": r(first, 5), "loss_last": r(last, 5),
    })
    if a.split > 0:
        out["split_ms"] = out_split

    # predict: batch of 1, eval mode, inference_mode; output copied out to numpy like Net.forward's float[]
    model.eval()
    singles = [torch.from_numpy(np.ascontiguousarray(norm[i][None, None])) for i in range(len(norm))]
    lat, sink = [], 0.0
    with torch.inference_mode():
        for i in range(a.warmup_calls):
            sink += float(model(singles[i % len(singles)]).numpy()[0, 0])
        for i in range(a.calls):
            x = singles[i % len(singles)]
            s0 = time.perf_counter()
            logits = model(x).numpy()
            lat.append((time.perf_counter() - s0) * 1e3)
            sink += float(logits[0, 0])
    out.update({
        "warmup_calls": a.warmup_calls, "calls": a.calls,
        "predict_ms_p50": r(pct(lat, 50), 3), "predict_ms_p95": r(pct(lat, 95), 3),
        "predict_ms_mean": r(sum(lat) / len(lat), 3), "predict_ms_min": r(min(lat), 3),
        "sink": math.isfinite(sink),
    })
    print(json.dumps(out, separators=(",", ":")))


def split(model, opt, xs, ts, w, steps, b):
    """Per-phase times of extra steps, same phases as TrainBench.split except prep = zero_grad here (inputs are
    prebuilt tensors; cxr4j zeroes its gradients inside forward_loss and spends prep copying float[] in)."""
    names = ["prep", "forward_loss", "backward", "loss_read_probs", "optimizer", "total"]
    acc = {n: 0.0 for n in names}
    for _ in range(steps):
        x, t = xs[b], ts[b]
        a0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        a1 = time.perf_counter()
        logp = F.log_softmax(model(x), dim=1)
        loss = (-(logp * t).sum(dim=1) * w).sum() / w.sum()
        a2 = time.perf_counter()
        loss.backward()
        a3 = time.perf_counter()
        loss.item()
        logp.detach().exp().numpy()
        a4 = time.perf_counter()
        opt.step()
        a5 = time.perf_counter()
        for n, d in zip(names, [a1 - a0, a2 - a1, a3 - a2, a4 - a3, a5 - a4, a5 - a0]):
            acc[n] += d * 1e3
        b = (b + 1) % len(xs)
    return {"steps": steps, **{n: r(v / steps, 3) for n, v in acc.items()}}


# ---------------------------------------------------------------- architecture check against cxr4j's parameters

DJL_TO_TORCH = {"weight": "weight", "bias": "bias", "gamma": "weight", "beta": "bias",
                "runningMean": "running_mean", "runningVar": "running_var"}


def read_snapshot(f, n, k):
    def i32():
        return struct.unpack(">i", f.read(4))[0]
    params = []
    for _ in range(i32()):
        name = f.read(struct.unpack(">H", f.read(2))[0]).decode()
        shape = tuple(i32() for _ in range(i32()))
        data = np.frombuffer(f.read(4 * int(np.prod(shape))), ">f4").astype(np.float32).reshape(shape)
        params.append((name, data))
    logits = np.frombuffer(f.read(4 * n * k), ">f4").astype(np.float32).reshape(n, k)
    return params, logits


def load_djl(model, params):
    sd = [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    if len(sd) != len(params):
        raise SystemExit(f"parameter arrays: cxr4j {len(params)}, pytorch {len(sd)}")
    new = {}
    for (tk, tv), (jk, jv) in zip(sd, params):
        suffix = DJL_TO_TORCH.get(jk.rsplit("_", 1)[-1])
        if suffix is None or not tk.endswith(suffix) or tuple(tv.shape) != jv.shape:
            raise SystemExit(f"mismatch: cxr4j {jk} {jv.shape} vs pytorch {tk} {tuple(tv.shape)}")
        new[tk] = torch.from_numpy(jv.copy())
    model.load_state_dict(new, strict=False)


def check(a):
    torch.set_num_threads(a.threads)
    files, norm = load_inputs(a.images)
    lab = labels(len(files), a.seed)
    xs, ts = batches(norm, lab, a.batch)
    model = CxrNet()
    trainable = sum(p.numel() for p in model.parameters())
    running = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    with open(a.check, "rb") as f:
        n, k, batch = struct.unpack(">iii", f.read(12))
        p0, l0 = read_snapshot(f, n, k)
        p1, l1 = read_snapshot(f, n, k)
    if batch != a.batch:
        raise SystemExit(f"dump made with batch {batch}, this run uses {a.batch}")
    java_count = sum(v.size for _, v in p0)
    x = torch.from_numpy(np.ascontiguousarray(norm[:n][:, None]))
    res = {"check": "architecture", "param_arrays": len(p0), "param_count_cxr4j": java_count,
           "param_count_pytorch_trainable": trainable, "pytorch_bn_running_stats": running,
           "param_count_pytorch_trainable_plus_running": trainable + running}
    # 1) fresh parameters: eval logits
    load_djl(model, p0)
    model.eval()
    with torch.no_grad():
        res["init_logits_max_abs_diff"] = float(np.abs(model(x).numpy() - l0).max())
        res["init_logits_max_abs"] = float(np.abs(l0).max())
        # 2) one train-mode forward on batch 0 updates the running statistics the same way as cxr4j's step
        #    (dropout comes after pooling, so it cannot affect them)
        model.train()
        model(xs[0])
    after = dict((k2, v) for k2, v in model.state_dict().items() if "running" in k2)
    java_running = [v for name, v in p1 if "running" in name]
    res["running_stats_max_abs_diff"] = float(max(np.abs(t.numpy() - j).max() for t, j in zip(after.values(), java_running)))
    res["running_stats_changed_by"] = float(max(np.abs(j - v0).max() for j, (name, v0) in
                                               zip(java_running, [(nm, v) for nm, v in p0 if "running" in nm])))
    # 3) parameters after cxr4j's step: eval logits with non-trivial running statistics
    load_djl(model, p1)
    model.eval()
    with torch.no_grad():
        res["step1_logits_max_abs_diff"] = float(np.abs(model(x).numpy() - l1).max())
        res["step1_logits_max_abs"] = float(np.abs(l1).max())
    tol = lambda d, m: d <= 1e-4 * max(1.0, m)
    ok = (java_count == trainable + running and tol(res["init_logits_max_abs_diff"], res["init_logits_max_abs"])
          and res["running_stats_max_abs_diff"] <= 1e-4 and tol(res["step1_logits_max_abs_diff"], res["step1_logits_max_abs"]))
    res["ok"] = bool(ok)
    print(json.dumps(res, separators=(",", ":")))
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--images", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--calls", type=int, default=100)
    p.add_argument("--warmup-steps", type=int, default=5)
    p.add_argument("--warmup-calls", type=int, default=10)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--split", type=int, default=0)
    p.add_argument("--check", help="dump file written by TrainBench --dump")
    a = p.parse_args()
    if a.check:
        sys.exit(check(a))
    bench(a)


if __name__ == "__main__":
    main()
