"""The PyTorch peer of bench/train_epoch_bench.sh: one training epoch of the shipped classifier recipe (models/README.md,
run a1) as a PyTorch user would write it: a Dataset that decodes each film, takes its lung mask, crops, augments and
normalises it, a DataLoader (num_workers 0 or more), then cxr4j's network (train_peer.CxrNet), loss, AdamW, learning-rate
warm-up and weight average, and a validation pass with the averaged weights.

  train_epoch_peer.py --manifest WORK/manifest.json --threads 2 --workers 0 [--seed 42]
      prints one JSON line: train_s (the DataLoader's epoch: decode, masks, crops, augmentation, steps), val_s
      (validation: decode, masks, crops, forward), epoch_s = train_s + val_s, where the time went, and the figures.

The manifest (films, labels, source groups, and each film's mask PNGs: annotation masks rasterised by cxr4j, predicted
masks from cxr4j's mask cache) is written by TrainEpochBench --export, outside the timed part. A port of
io.cxr4j.prep (InputRecipe, Augment) and io.cxr4j.image.ImageOps; what differs is listed in docs/benchmarks.md.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_peer import CxrNet  # noqa: E402  the same network as cxr4j's NetSpec.cxrNet, checked by train_bench.sh

CXRNET_VALUES = 679_636  # cxr4j's Net.parameterCount() for cxrnet width 16, blocks 1,1,2,2, 4 classes (docs/benchmarks.md)


# ---------------------------------------------------------------- decoding and the input recipe (io.cxr4j.prep.InputRecipe)

def read_grey(path):
    """8-bit grey as cxr4j's ImageReader: colour by ITU-R 601 luma (Pillow's convert("L")), 16-bit stretched min..max."""
    im = Image.open(path)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im, dtype=np.int64)
        lo, hi = int(a.min()), int(a.max())
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        return np.floor((a - lo) * scale + 0.5).astype(np.uint8)
    if im.mode != "L":
        im = im.convert("L")
    return np.asarray(im)


def read_mask(path, shape):
    m = np.asarray(Image.open(path).convert("L")) != 0
    if m.shape != shape:
        raise SystemExit(f"{path}: mask {m.shape} but film {shape}")
    return m


def jround(v):
    """Java's Math.round (half up)."""
    return int(math.floor(v + 0.5))


def crop_rect(mask, margin):
    """LungCrop.region: the mask's bounding box grown by margin on every side, made square about its centre."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        raise ValueError("empty lung mask")
    x0, x1, y0, y1 = int(cols[0]), int(cols[-1]) + 1, int(rows[0]), int(rows[-1]) + 1
    dx, dy = jround((x1 - x0) * margin), jround((y1 - y0) * margin)
    x0, y0, x1, y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
    side = max(x1 - x0, y1 - y0)
    x0 -= (side - (x1 - x0)) // 2
    y0 -= (side - (y1 - y0)) // 2
    return x0, y0, x0 + side, y0 + side


def crop(a, r):
    """ImageOps.crop: parts outside the image are 0."""
    x0, y0, x1, y1 = r
    out = np.zeros((y1 - y0, x1 - x0), a.dtype)
    h, w = a.shape
    sx0, sx1, sy0, sy1 = max(0, x0), min(w, x1), max(0, y0), min(h, y1)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = a[sy0:sy1, sx0:sx1]
    return out


def input_crop(img, mask, size, margin, keep_surroundings):
    """InputRecipe.crop / cropKeepingSurroundings: (image, region) at size x size, both uint8 (region 0/255)."""
    r = crop_rect(mask, margin)
    src = img if keep_surroundings else np.where(mask, img, 0).astype(np.uint8)
    image = Image.fromarray(crop(src, r)).resize((size, size), Image.Resampling.BILINEAR)
    region = Image.fromarray(crop(mask.astype(np.uint8) * 255, r)).resize((size, size), Image.Resampling.NEAREST)
    return np.asarray(image), np.asarray(region)


def normalise(img, region):
    """InputRecipe.normalise: z-score over the region, 0 outside."""
    on = region != 0
    n = int(on.sum())
    out = np.zeros(img.shape, np.float32)
    if n == 0:
        return out
    v = img[on].astype(np.float64)
    mean = v.mean()
    std = max(math.sqrt(max((v * v).mean() - mean * mean, 1e-6)), 1.0)
    out[on] = ((v - mean) / std).astype(np.float32)
    return out


# ---------------------------------------------------------------- augmentation (io.cxr4j.prep.Augment)

def affine(a, size, angle, scale, tx, ty, resample):
    """ImageOps.affine: rotation and scaling about the centre, then a shift; 0 outside. PIL's AFFINE maps each output
    pixel centre to the source, the same inverse map as cxr4j's."""
    c, s, h = math.cos(angle) / scale, math.sin(angle) / scale, size / 2.0
    coeffs = (c, s, h - c * (h + tx) - s * (h + ty), -s, c, h + s * (h + tx) - c * (h + ty))
    return np.asarray(Image.fromarray(a).transform((size, size), Image.Transform.AFFINE, coeffs, resample=resample, fillcolor=0))


def gaussian_blur(f, sigma):
    """ImageOps.gaussianBlur: separable, kernel radius ceil(3 sigma), edges clamped."""
    r = max(1, math.ceil(3 * sigma))
    k = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma * sigma)).astype(np.float32)
    k /= k.sum()
    p = np.pad(f, ((0, 0), (r, r)), mode="edge")
    tmp = sum(k[i] * p[:, i:i + f.shape[1]] for i in range(2 * r + 1))
    p = np.pad(tmp, ((r, r), (0, 0)), mode="edge")
    return sum(k[i] * p[i:i + f.shape[0], :] for i in range(2 * r + 1))


def style(img, size, rng, p):
    """Augment.style: with probability p each, lower resolution, blur or sharpening, grain."""
    sharp, res, grain = rng.random() < p, rng.random() < p, rng.random() < p
    if not (sharp or res or grain):
        return img
    f = img.astype(np.float32)
    if res:
        small = max(8, jround(size * (0.35 + 0.45 * rng.random())))
        im = Image.fromarray(img).resize((small, small), Image.Resampling.BILINEAR).resize((size, size), Image.Resampling.BILINEAR)
        f = np.asarray(im).astype(np.float32)
    if sharp:
        sigma = 0.6 + 1.4 * rng.random()
        a = -rng.random() if rng.random() < 0.5 else 1.5 * rng.random()
        f = f + a * (f - gaussian_blur(f, sigma))
    if grain:
        f = f + rng.standard_normal(f.shape).astype(np.float32) * (1 + 7 * rng.random())
    return np.clip(np.floor(f + 0.5), 0, 255).astype(np.uint8)


def grow(m, r):
    """MaskOps.dilate: square structuring element of radius r (separable running maximum)."""
    out = m.copy()
    for axis in (1, 0):
        src = out.copy()
        for d in range(1, r + 1):
            if axis == 1:
                out[:, d:] |= src[:, :-d]
                out[:, :-d] |= src[:, d:]
            else:
                out[d:, :] |= src[:-d, :]
                out[:-d, :] |= src[d:, :]
    return out


def augment(img, region, size, aug, rng):
    """Augment.apply: geometry (bilinear image, nearest region), exposure LUT inside the region, style, outline jitter."""
    angle = math.radians((rng.random() * 2 - 1) * aug["rotate_deg"])
    scale = 1 + (rng.random() * 2 - 1) * aug["scale"]
    tx, ty = (rng.random() * 2 - 1) * aug["shift"] * size, (rng.random() * 2 - 1) * aug["shift"] * size
    img = affine(img, size, angle, scale, tx, ty, Image.Resampling.BILINEAR)
    region = affine(region, size, angle, scale, tx, ty, Image.Resampling.NEAREST)
    b = (rng.random() * 2 - 1) * aug["brightness"] * 255
    c = 1 + (rng.random() * 2 - 1) * aug["contrast"]
    g = math.exp((rng.random() * 2 - 1) * aug["gamma"])
    if b != 0 or c != 1 or g != 1:
        x = 255 * np.power(np.arange(256) / 255.0, g)
        lut = np.clip(np.floor((x - 128) * c + 128 + b + 0.5), 0, 255).astype(np.uint8)
        img = np.where(region != 0, lut[img], img).astype(np.uint8)
    if aug["style"] > 0:
        img = style(img, size, rng, aug["style"])
    if aug["outline_jitter"] > 0:
        r = jround((rng.random() * 2 - 1) * aug["outline_jitter"] * size)
        if r > 0:
            region = grow(region != 0, r).astype(np.uint8) * 255
        elif r < 0:
            region = (~grow(region == 0, -r)).astype(np.uint8) * 255
    return img, region


# ---------------------------------------------------------------- datasets

class TrainFilms(torch.utils.data.Dataset):
    """Each item: the film decoded, one of its masks at random, cropped keeping the surroundings, augmented, normalised."""

    def __init__(self, films, recipe, weights, seed):
        self.films, self.recipe, self.weights, self.seed = films, recipe, weights, seed
        self.k = 4

    def __len__(self):
        return len(self.films)

    def __getitem__(self, i):
        f, r = self.films[i], self.recipe
        rng = np.random.default_rng((self.seed, i))
        img = read_grey(f["image"])
        mask = read_mask(f["masks"][int(rng.integers(len(f["masks"])))], img.shape)
        size = r["image_size"]
        image, region = input_crop(img, mask, size, r["margin"], r["augment"]["outline_jitter"] > 0)
        image, region = augment(image, region, size, r["augment"], rng)
        x = normalise(image, region)[None]
        eps, k = r["label_smoothing"], self.k
        t = np.full(k, eps / k, np.float32)
        sm = np.zeros(k, np.float32)
        sw = 0.0
        if f["label"] < 0:  # coarse "pneumonia": the loss of the summed probability of its classes
            sm[f["targets"]] = 1
            sw = 1 - eps
        else:
            t[f["label"]] += 1 - eps
        return torch.from_numpy(x), torch.from_numpy(t), torch.from_numpy(sm), torch.tensor(sw, dtype=torch.float32), \
            torch.tensor(self.weights[i], dtype=torch.float32), i


class ValFilms(torch.utils.data.Dataset):
    """Each item: the film decoded and one crop per mask source (as prediction makes them: AND, crop, resize), normalised."""

    def __init__(self, films, recipe):
        self.films, self.recipe = films, recipe

    def __len__(self):
        return len(self.films)

    def __getitem__(self, i):
        f, size = self.films[i], self.recipe["image_size"]
        img = read_grey(f["image"])
        xs = []
        for m in f["masks"]:
            image, region = input_crop(img, read_mask(m, img.shape), size, self.recipe["margin"], False)
            xs.append(normalise(image, region))
        return np.stack(xs), i


# ---------------------------------------------------------------- weights, schedule, loss (ClassifierTrainer, TrainingLoop)

def class_weights(train, k, mode):
    n = np.zeros(k)
    for f in train:
        if f["label"] >= 0:
            n[f["label"]] += 1
    total = n.sum()
    w = np.where(n == 0, 0, total / (k * np.maximum(n, 1)))
    return {"none": np.ones(k), "sqrt": np.sqrt(w)}.get(mode, w).astype(np.float32)


def source_factors(train, cap):
    group, per_class = {}, {}
    for f in train:
        group[f["group"]] = group.get(f["group"], 0) + 1
        lab = f["group"].split("/")[0]
        per_class[lab] = per_class.get(lab, 0) + 1
    if cap <= 1 or len({g.split("/", 1)[1] for g in group}) < 2:
        return {}
    return {g: float(np.float32(max(1.0, min(cap, math.sqrt(per_class[g.split("/")[0]] / n))))) for g, n in sorted(group.items())}


def item_weight(f, cw, sf):
    w = cw[f["label"]] if f["label"] >= 0 else float(np.mean([cw[t] for t in f["targets"]]))
    return float(np.float32(w) * np.float32(sf.get(f["group"], 1.0)))


def schedule(peak, warmup, epochs, t):
    if t < warmup:
        return peak * max(0.05, t / warmup)
    p = (t - warmup) / max(1e-9, epochs - warmup)
    return peak * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1, p))))


def loss_of(logits, t, sm, sw, w):
    """NetTrainer.step's loss: weighted soft-target cross-entropy, plus the coarse rows' set loss."""
    logp = F.log_softmax(logits, dim=1)
    ce = -(logp * t).sum(dim=1)
    if bool((sw > 0).any()):
        no_set = torch.where(sm.sum(dim=1) == 0, 1.0, 1e-12)
        ce = ce - torch.log((logp.exp() * sm).sum(dim=1) + no_set) * sw
    return (ce * w).sum() / w.sum(), logp


def macro_f1(truth, pred, k):
    f1 = []
    for c in range(k):
        tp = sum(1 for a, b in zip(truth, pred) if a == c and b == c)
        fp = sum(1 for a, b in zip(truth, pred) if a != c and b == c)
        fn = sum(1 for a, b in zip(truth, pred) if a == c and b != c)
        f1.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1) / k


# ---------------------------------------------------------------- the epoch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    man = json.load(open(a.manifest))
    r, k = man["recipe"], len(man["classes"])
    train = [f for f in man["films"] if f["part"] == "train"]
    val = [f for f in man["films"] if f["part"] == "val"]
    cw = class_weights(train, k, r["class_weighting"])
    sf = source_factors(train, r["source_balance"])
    weights = [item_weight(f, cw, sf) for f in train]

    # untimed: the port of the input recipe against cxr4j's validation inputs of the first films
    recipe_diff, recipe_checked = 0.0, 0
    for f in man["films"]:
        for m, (s_abs, s_sq) in zip(f["masks"], f.get("check", [])):
            img = read_grey(f["image"])
            x = normalise(*input_crop(img, read_mask(m, img.shape), r["image_size"], r["margin"], False)).astype(np.float64)
            recipe_diff = max(recipe_diff, abs(np.abs(x).sum() - s_abs) / max(1.0, s_abs), abs((x * x).sum() - s_sq) / max(1.0, s_sq))
            recipe_checked += 1

    model = CxrNet(r["width"], tuple(r["blocks"]), r["dropout"], k)
    trainable = sum(q.numel() for q in model.parameters())
    running = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    if trainable + running != CXRNET_VALUES:
        raise SystemExit(f"network has {trainable + running} values, cxr4j's cxrnet {CXRNET_VALUES}")
    opt = torch.optim.AdamW(model.parameters(), lr=r["lr"], weight_decay=r["weight_decay"])
    state = [v for n, v in model.state_dict().items() if not n.endswith("num_batches_tracked")]
    ema = [v.detach().clone() for v in state]
    ema_updates = 0

    bs = r["batch"]
    loader = torch.utils.data.DataLoader(TrainFilms(train, r, weights, a.seed), batch_size=bs, shuffle=True,
                                         num_workers=a.workers, generator=torch.Generator().manual_seed(a.seed))
    steps = math.ceil(len(train) / bs)
    model.train()
    loss_sum = right = seen = 0.0
    wait_s = step_s = 0.0
    t0 = time.perf_counter()
    mark = t0
    for step, (x, t, sm, sw, w, idx) in enumerate(loader):
        got = time.perf_counter()
        wait_s += got - mark
        n = x.shape[0]
        if n < 2:  # batch norm needs two samples (TrainingLoop skips a last batch of one)
            mark = time.perf_counter()
            continue
        lr = schedule(r["lr"], r["warmup_epochs"], 1, step / steps)
        for g in opt.param_groups:
            g["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss, logp = loss_of(model(x), t, sm, sw, w)
        loss.backward()
        value = loss.item()
        probs = logp.detach().exp().numpy()
        opt.step()
        # Net.updateEma: ema = d * ema + (1 - d) * weights, d ramping up to the decay
        ema_updates += 1
        d = min(r["ema"], (1.0 + ema_updates) / (10.0 + ema_updates))
        with torch.no_grad():
            torch._foreach_lerp_(ema, state, 1 - d)
        loss_sum += value * n
        for j, i in enumerate(idx.tolist()):
            pred = int(np.argmax(probs[j]))
            right += pred in train[i]["targets"]
        seen += n
        mark = time.perf_counter()
        step_s += mark - got
    train_s = time.perf_counter() - t0

    # validation with the averaged weights, batches of 32 crops (ClassifierTrainer.EVAL_BATCH)
    t1 = time.perf_counter()
    backup = [v.detach().clone() for v in state]
    with torch.no_grad():
        for v, e in zip(state, ema):
            v.copy_(e)
    model.eval()
    vl = torch.utils.data.DataLoader(ValFilms(val, r), batch_size=None, shuffle=False, num_workers=a.workers)
    truth, pred, pending, owners = [], [], [], []

    def flush():
        with torch.inference_mode():
            logits = model(torch.stack(pending)[:, None])
        for o, row in zip(owners, logits.argmax(dim=1).tolist()):
            if val[o]["label"] >= 0:
                truth.append(val[o]["label"])
                pred.append(row)
        pending.clear()
        owners.clear()

    for xs, i in vl:
        for xx in torch.as_tensor(xs):
            pending.append(xx)
            owners.append(i)
            if len(pending) == 32:
                flush()
    if pending:
        flush()
    with torch.no_grad():
        for v, b in zip(state, backup):
            v.copy_(b)
    val_s = time.perf_counter() - t1
    acc = sum(1 for u, v in zip(truth, pred) if u == v) / max(1, len(truth))
    print(json.dumps({
        "side": "pytorch", "workers": a.workers, "threads": a.threads, "engine_threads": torch.get_num_threads(),
        "engine": f"PyTorch {torch.__version__} (python {sys.version.split()[0]}, numpy {np.__version__}, "
                  f"pillow {Image.__version__})",
        "train_films": len(train), "val_films": len(val), "val_crops": sum(len(f["masks"]) for f in val), "steps": steps,
        "train_s": round(train_s, 3), "val_s": round(val_s, 3), "epoch_s": round(train_s + val_s, 3),
        "train_wait_for_batches_s": round(wait_s, 3), "train_steps_s": round(step_s, 3),
        "train_loss": round(loss_sum / max(1, seen), 4), "train_acc": round(right / max(1, seen), 3),
        "val_acc": round(acc, 3), "val_macro_f1": round(macro_f1(truth, pred, k), 3),
        "recipe_inputs_checked": recipe_checked, "recipe_checksum_max_rel_diff": float(recipe_diff),
        "class_weights": [float(v) for v in cw], "source_weights": sf, "param_count": trainable + running,
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
