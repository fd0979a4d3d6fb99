#!/usr/bin/env python3
"""Python peer of `cxr predict --format csv DIR` for bench/score_bench.sh: scores every film of a folder with
Pillow + numpy + scipy.ndimage + PyTorch and cxr4j's own three networks (weights written by bench/ModelDump.java).

Per film, in the order cxr4j's XrayAnalyzer.analyze runs:
  1. decode to 8-bit grey (Image.open(...).convert("L"));
  2. the input check (io.cxr4j.check.InputCheck): the image statistics (shorter side, standard deviation,
     neighbour correlation, colourfulness, share of the 3 commonest grey levels, on a copy of at most 256 px) with
     the limits of models/input-check/model.json, then the check network on the film squashed to 64 px and
     z-scored; accept when p(frontal) >= accept, else correct a turned/inverted film when its kind's probability is
     >= fix and read it again, else refuse with the kind's reason. Left out: the DICOM header rules (no DICOM here);
  3. segment on a copy of at most 512 px (LungSegmenter.atWorkingSize): pad to a centred square, resize to 256,
     z-score over the image area, the U-Net (models/lung-segmenter, NetSpec kind "unet" ported below), sigmoid,
     probabilities back to the film (bilinear, crop the padding, threshold 0.5), post-processing at <= 1024 px (two
     box blurs of radius max(1, side/200) and threshold 1/2, the two largest 8-connected regions, holes filled);
  4. the input check's lung-shape rule (io.cxr4j.check.LungShape) on that mask;
  5. the classifier (models/classifier): lung-masked, AND, crop to the lungs' box + 5% made square, resize to 192
     (bilinear; the region nearest), z-score over the lungs; whole-film (the shipped one since the masking
     ablation), the film itself padded to a square, resize to 192, z-score over the film; cxrnet (bench/train_peer.py's CxrNet), softmax(logits / T);
  6. one CSV row per film (file,predicted,confidence,p_<class>...,status,reason), written atomically.
Not ported: cxr4j's quality flags (io.cxr4j.quality.Quality, a few histogram and Laplacian sums per film) and the
warnings text. Resizing is Pillow's BILINEAR (the same triangle filter as cxr4j's ImageOps.resize, in fixed point
with an 8-bit intermediate, so a pixel may differ by one grey level); the nearest-neighbour resizes, crops,
normalisation and post-processing follow cxr4j's arithmetic exactly.

  score_peer.py DIR --weights DUMP_DIR --models models --out OUT.csv [--threads 2] [--limit N]
      scores DIR's .png/.jpg/.jpeg files (sorted by name); prints one JSON line with the timings
  score_peer.py DIR --weights DUMP_DIR --models models --check
      loads cxr4j's parameters and compares this file's networks with cxr4j's outputs on cxr4j's own input tensors
      (the films named in the dump, read from DIR), and this file's input tensors with cxr4j's; one JSON line,
      exit status 1 when a network's outputs differ by more than 1e-4 (relative to the largest output, at least 1)
Research tool, not a diagnostic device.
"""
import time

T_START = time.time()  # before the heavy imports: the start-up the peer pays is counted from here

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import scipy.ndimage as ndi
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_peer import CxrNet, bn, conv, load_djl, read_snapshot  # noqa: E402  the same cxrnet and DJL loader

KINDS = ["frontal", "turned_90", "turned_180", "turned_270", "inverted", "lateral", "ct", "partial", "other"]
KIND_REASON = {"turned_90": "turned 90 degrees", "turned_180": "turned 180 degrees", "turned_270": "turned 90 degrees",
               "inverted": "inverted grey scale", "lateral": "lateral view", "ct": "CT slice",
               "partial": "lungs not found: only part of the chest",
               "other": "not a radiograph (photo, graphic or document)"}
CORRECTABLE = {"turned_90", "turned_180", "turned_270", "inverted"}
PREDICT_SIDE, WORK_SIDE, STATS_SIDE = 512, 1024, 256


class Refused(Exception):
    pass


# ---------------------------------------------------------------- networks

class UNet(nn.Module):
    """cxr4j's engine.Blocks.unet: stride-2 stem conv-BN-ReLU, the levels, x2 nearest upsampling, conv-BN-ReLU, 1x1 conv
    with bias. Modules are registered in DJL's parameter order."""

    def __init__(self, width, levels, outputs):
        super().__init__()
        self.stem_conv, self.stem_bn = conv(1, width, 3, 2), bn(width)
        self.level = Level(0, levels, width, width)
        self.head_conv, self.head_bn = conv(width, width, 3, 1), bn(width)
        self.out = nn.Conv2d(width, outputs, 1, bias=True)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem_conv(x)))
        x = F.interpolate(self.level(x), scale_factor=2, mode="nearest")
        return self.out(F.relu(self.head_bn(self.head_conv(x))))


def double_conv(cin, w):
    return nn.Sequential(conv(cin, w, 3, 1), bn(w), nn.ReLU(), conv(w, w, 3, 1), bn(w), nn.ReLU())


class Level(nn.Module):
    """Two conv-BN-ReLU; below the top, max-pool -> the next level -> x2 nearest upsampling -> conv-BN-ReLU,
    concatenated after the skip connection, then two more conv-BN-ReLU."""

    def __init__(self, level, levels, cin, w):
        super().__init__()
        self.first = double_conv(cin, w)
        self.down = None
        if level < levels - 1:
            self.down = Level(level + 1, levels, w, w * 2)
            self.up_conv, self.up_bn = conv(w * 2, w, 3, 1), bn(w)
            self.second = double_conv(w * 2, w)

    def forward(self, x):
        x = self.first(x)
        if self.down is None:
            return x
        d = F.interpolate(self.down(F.max_pool2d(x, 2)), scale_factor=2, mode="nearest")
        d = F.relu(self.up_bn(self.up_conv(d)))
        return self.second(torch.cat([x, d], 1))


def build(arch):
    if arch["inChannels"] != 1:
        raise SystemExit(f"only grey (1-channel) networks are ported, not {arch['inChannels']}")
    if arch["kind"] == "cxrnet":
        return CxrNet(arch["width"], tuple(arch["blocks"]), arch["dropout"], arch["outputs"])
    if arch["kind"] == "unet":
        return UNet(arch["width"], len(arch["blocks"]), arch["outputs"])
    raise SystemExit(f"unknown network kind {arch['kind']}")


def read_dump(path):
    """Parameters, film names, cxr4j's input tensors and outputs from a ModelDump file."""
    with open(path, "rb") as f:
        params, _ = read_snapshot(f, 0, 0)
        i32 = lambda: struct.unpack(">i", f.read(4))[0]
        names = [f.read(struct.unpack(">H", f.read(2))[0]).decode() for _ in range(i32())]
        lin, lout = i32(), i32()
        x = np.frombuffer(f.read(4 * lin * len(names)), ">f4").astype(np.float32).reshape(len(names), lin)
        y = np.frombuffer(f.read(4 * lout * len(names)), ">f4").astype(np.float32).reshape(len(names), lout)
    return params, names, x, y


def load_net(arch, dump):
    net = build(arch)
    load_djl(net, read_dump(dump)[0])
    return net.eval()


class Models:
    def __init__(self, models, weights):
        with open(os.path.join(models, "input-check", "model.json")) as f:
            self.check_card = json.load(f)
        with open(os.path.join(models, "lung-segmenter", "model.json")) as f:
            self.seg_card = json.load(f)
        with open(os.path.join(models, "classifier", "model.json")) as f:
            self.cls_card = json.load(f)
        if len(self.seg_card["members"]) != 1 or self.seg_card.get("tta", 0) != 0:
            raise SystemExit("lung-segmenter: only one member without test-time views is ported")
        if self.cls_card.get("tta", 0) != 0:
            raise SystemExit("classifier: test-time views are not ported")
        self.check = load_net(self.check_card["architecture"], os.path.join(weights, "input-check.bin"))
        self.seg = load_net(self.seg_card["architecture"], os.path.join(weights, "lung-segmenter.bin"))
        # an ensemble's members (cxr ensemble): softmax(logits / T) of each, averaged, as io.cxr4j.eval.Calibration
        self.cls_files = ["classifier.bin" if i == 0 else f"classifier.{i}.bin" for i in range(len(self.cls_card["members"]))]
        self.cls_members = [load_net(self.cls_card["architecture"], os.path.join(weights, f)) for f in self.cls_files]
        self.classes = self.cls_card["classes"]
        self.temperature = float(self.cls_card.get("temperature") or 1.0)
        self.margin = float(self.cls_card["input"]["margin"])
        self.whole = self.cls_card["input"]["maskMode"] == "whole"
        if not self.whole and self.cls_card["input"]["maskMode"] != "masked":
            raise SystemExit("only the masked and whole-film classifier recipes are ported")


# ---------------------------------------------------------------- image operations (cxr4j's arithmetic)

def jround(v):
    """Java's Math.round for positive values."""
    return int(math.floor(v + 0.5))


def resize(a, w, h):
    """Bilinear with an antialiasing support when shrinking (Pillow BILINEAR, as cxr4j's ImageOps.resize)."""
    if a.shape == (h, w):
        return a.copy()
    return np.asarray(Image.fromarray(a).resize((w, h), Image.BILINEAR))


def resize_nearest(a, w, h):
    sh, sw = a.shape
    xs = np.minimum(sw - 1, ((np.arange(w) + 0.5) * sw / w).astype(np.int64))
    ys = np.minimum(sh - 1, ((np.arange(h) + 0.5) * sh / h).astype(np.int64))
    return a[ys[:, None], xs[None, :]]


def crop(a, x0, y0, x1, y1):
    """[x0, x1) x [y0, y1), 0 outside the image."""
    h, w = a.shape
    out = np.zeros((y1 - y0, x1 - x0), a.dtype)
    sx0, sx1, sy0, sy1 = max(0, x0), min(w, x1), max(0, y0), min(h, y1)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = a[sy0:sy1, sx0:sx1]
    return out


def square(w, h):
    side = max(w, h)
    x0, y0 = -((side - w) // 2), -((side - h) // 2)
    return x0, y0, x0 + side, y0 + side


def fit_within(w, h, side):
    f = min(1.0, side / max(w, h))
    return max(1, jround(w * f)), max(1, jround(h * f))


def normalise(img, region, out):
    """InputRecipe.normalise: z-score over the region (non-zero), 0 elsewhere; sd at least 1."""
    m = region != 0
    n = int(m.sum())
    out[:] = 0
    if n == 0:
        return out
    v = img[m].astype(np.float64)
    mean = v.sum() / n
    std = max(math.sqrt(max((v * v).sum() / n - mean * mean, 1e-6)), 1.0)
    out[m] = ((v - mean) / std).astype(np.float32)
    return out


def softmax(z):
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


# ---------------------------------------------------------------- the input check

def colourfulness(rgb):
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    rg, yb = r - g, (r + g) / 2 - b
    return math.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * math.sqrt(rg.mean() ** 2 + yb.mean() ** 2)


def stats_reason(a, colourful, lim):
    h, w = a.shape
    s = a
    if max(w, h) > STATS_SIDE:
        f = STATS_SIDE / max(w, h)
        s = resize(a, max(1, jround(w * f)), max(1, jround(h * f)))
    v = s.astype(np.float64)
    mean = v.mean()
    var = max(0.0, (v * v).mean() - mean * mean)
    d = v - mean
    sh, sw = s.shape
    pairs = sh * (sw - 1) + (sh - 1) * sw
    sxy = (d[:, :-1] * d[:, 1:]).sum() + (d[:-1, :] * d[1:, :]).sum()
    corr = 1.0 if var <= 0 or pairs == 0 else (sxy / pairs) / var
    top = np.sort(np.bincount(s.ravel(), minlength=256))[-3:].sum() / s.size
    if min(w, h) < lim["minSide"]:
        return f"too small ({min(w, h)} px on its shorter side; at least {lim['minSide']} needed)"
    if math.sqrt(var) < lim["minStd"]:
        return "blank: a nearly uniform image"
    if corr < lim["minNeighbourCorr"]:
        return "noise: neighbouring pixels are unrelated, unlike any radiograph"
    if colourful > lim["maxColourfulness"]:
        return "not a radiograph (a colour image: photo, graphic or document)"
    if top > lim["maxTopLevels"]:
        return "not a radiograph (flat-coloured graphic, document or screenshot)"
    return None


def check_input(a, size, out):
    sq = a if a.shape == (size, size) else resize(a, size, size)
    v = sq.astype(np.float64)
    mean = v.mean()
    sd = math.sqrt(max(0.0, (v * v).mean() - mean * mean))
    inv = 0.0 if sd < 1e-3 else 1 / sd
    out[:] = ((v - mean) * inv).astype(np.float32)
    return out


def correct(a, kind):
    return {"turned_90": lambda: np.rot90(a, 1), "turned_180": lambda: np.rot90(a, 2),
            "turned_270": lambda: np.rot90(a, 3), "inverted": lambda: 255 - a}[kind]().copy()


class Check:
    def __init__(self, m):
        self.m, self.card = m, m.check_card
        self.size = self.card["architecture"]["inputSize"]
        self.x = torch.zeros(1, 1, self.size, self.size)

    def probs(self, a):
        check_input(a, self.size, self.x.numpy()[0, 0])
        return softmax(self.m.check(self.x)[0].numpy())

    def verdict(self, a, colourful):
        """The film to analyse (corrected if needed) and its corrections; Refused with the reason otherwise."""
        reason = stats_reason(a, colourful, self.card["stats_limits"])
        if reason:
            raise Refused(reason)
        p = self.probs(a)
        if p[0] >= self.card["accept"]:
            return a, []
        k = 1 + int(np.argmax(p[1:]))
        kind = KINDS[k]
        if kind in CORRECTABLE and p[k] >= self.card["fix"]:
            fixed = correct(a, kind)
            if self.probs(fixed)[0] >= self.card["accept"]:
                return fixed, [kind]
        raise Refused(KIND_REASON[kind])


def lung_reason(mask, lim):
    """LungShape.of(mask).reason(limits)."""
    lab, n = ndi.label(mask != 0, structure=np.ones((3, 3), bool))
    sizes = np.bincount(lab.ravel(), minlength=n + 1)
    total, pixels = int(sizes[1:].sum()), lab.size
    a = b = 0
    for k in range(1, n + 1):
        if a == 0 or sizes[k] > sizes[a]:
            b, a = a, k
        elif b == 0 or sizes[k] > sizes[b]:
            b = k
    smaller = 0.0 if b == 0 else sizes[b] / pixels
    apart = False
    if a and b:
        xs = np.bincount(lab.ravel(), weights=np.tile(np.arange(mask.shape[1]), mask.shape[0]), minlength=n + 1)
        mid = mask.shape[1] / 2.0
        apart = (xs[a] / sizes[a] - mid) * (xs[b] / sizes[b] - mid) < 0
    area = total / pixels
    if area < lim["minArea"]:
        return f"lungs not found ({100 * area:.1f}% of the picture segmented as lung)"
    if area > lim["maxArea"]:
        return f"lungs not found ({100 * area:.1f}% of the picture segmented as lung: implausibly much)"
    if smaller < lim["minSmallerLung"] or not apart:
        return "lungs not found (not two lung fields either side of the middle)"
    return None


# ---------------------------------------------------------------- segmentation

def seg_tensor(a, size, out):
    h, w = a.shape
    x0, y0, x1, y1 = square(w, h)
    img = resize(crop(a, x0, y0, x1, y1), size, size)
    area = resize_nearest(crop(np.full((h, w), 255, np.uint8), x0, y0, x1, y1), size, size)
    return normalise(img, area, out)


def box_blur(a, r):
    """PostProcess.boxBlur: mean over a (2r+1) window with clamped edges, rows then columns, float32 results."""
    k = 2 * r + 1
    p = np.pad(a.astype(np.float64), ((0, 0), (r, r)), mode="edge")
    c = np.concatenate([np.zeros((p.shape[0], 1)), np.cumsum(p, axis=1)], axis=1)
    tmp = ((c[:, k:] - c[:, :-k]) / k).astype(np.float32)
    p = np.pad(tmp.astype(np.float64), ((r, r), (0, 0)), mode="edge")
    c = np.concatenate([np.zeros((1, p.shape[1])), np.cumsum(p, axis=0)], axis=0)
    return ((c[k:, :] - c[:-k, :]) / k).astype(np.float32)


def post_process(m):
    """PostProcess.apply: smooth, the two largest 8-connected regions, holes filled; m is boolean."""
    r = max(1, max(m.shape) // 200)
    a = m.astype(np.float32)
    for _ in range(2):
        a = box_blur(a, r)
    sm = a >= np.float32(0.5)
    lab, n = ndi.label(sm, structure=np.ones((3, 3), bool))
    if n > 2:
        sizes = np.bincount(lab.ravel())[1:]
        keep = np.argsort(-sizes, kind="stable")[:2] + 1
        sm = np.isin(lab, keep)
    return ndi.binary_fill_holes(sm)


def to_original(p, size, w, h):
    """SegInput.toOriginal: probabilities to bytes, bilinear to the padded square, crop, threshold at one half."""
    q = np.floor(np.clip(p, 0, 1).astype(np.float32) * np.float32(255) + np.float32(0.5)).astype(np.uint8)
    x0, y0, x1, y1 = square(w, h)
    big = resize(q, x1 - x0, y1 - y0)
    return big[-y0:-y0 + h, -x0:-x0 + w] >= 128


class Segmenter:
    def __init__(self, m):
        self.m = m
        self.size = m.seg_card["architecture"]["inputSize"]
        self.x = torch.zeros(1, 1, self.size, self.size)

    def mask(self, a):
        """Boolean lung mask of a (the working copy), post-processed."""
        h, w = a.shape
        seg_tensor(a, self.size, self.x.numpy()[0, 0])
        z = self.m.seg(self.x)[0, 0].numpy().astype(np.float64)
        p = (1 / (1 + np.exp(-z))).astype(np.float32)
        ww, wh = fit_within(w, h, WORK_SIDE)
        m = post_process(to_original(p, self.size, ww, wh))
        if (ww, wh) != (w, h):
            m = resize(m.astype(np.uint8) * 255, w, h) >= 128
        return m


# ---------------------------------------------------------------- classifier

def lung_crop(a, mask, margin, size):
    """InputRecipe.crop (masked): image AND mask, the lungs' box + margin made square, resize; region nearest."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        raise Refused("lungs not found (empty lung mask)")
    x0, y0, x1, y1 = int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1
    dx, dy = jround((x1 - x0) * margin), jround((y1 - y0) * margin)
    x0, y0, x1, y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
    side = max(x1 - x0, y1 - y0)
    x0, y0 = x0 - (side - (x1 - x0)) // 2, y0 - (side - (y1 - y0)) // 2
    m8 = mask.astype(np.uint8) * 255
    masked = crop(a & m8, x0, y0, x0 + side, y0 + side)
    return resize(masked, size, size), resize_nearest(crop(m8, x0, y0, x0 + side, y0 + side), size, size)


def whole_crop(a, size):
    """InputRecipe.crop (whole): the film padded to a square (0 outside), resize; region 255 over the film, nearest."""
    h, w = a.shape
    x0, y0, x1, y1 = square(w, h)
    area = np.full((h, w), 255, np.uint8)
    return resize(crop(a, x0, y0, x1, y1), size, size), resize_nearest(crop(area, x0, y0, x1, y1), size, size)


class Classifier:
    def __init__(self, m):
        self.m = m
        self.size = m.cls_card["input"]["size"]
        self.x = torch.zeros(1, 1, self.size, self.size)

    def tensor(self, film, work, mask):
        """The lung-masked recipe crops the working copy the lungs were found on; the whole-film one reads the film."""
        img, region = whole_crop(film, self.size) if self.m.whole else lung_crop(work, mask, self.m.margin, self.size)
        return normalise(img, region, self.x.numpy()[0, 0])

    def probs(self, film, work, mask):
        self.tensor(film, work, mask)
        p = None
        for net in self.m.cls_members:
            z = net(self.x)[0].numpy().astype(np.float32)
            q = softmax((z / np.float32(self.m.temperature)).astype(np.float32))
            p = q if p is None else p + q
        return (p / np.float32(len(self.m.cls_members))).astype(np.float32)


# ---------------------------------------------------------------- one film

def decode(path):
    im = Image.open(path)
    if im.mode == "L":
        return np.asarray(im), 0.0
    if im.mode in ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LA"):
        rgb = np.asarray(im.convert("RGB"))
        return np.asarray(im.convert("L")), colourfulness(rgb)
    return np.asarray(im.convert("L")), 0.0


def working_copy(a):
    h, w = a.shape
    ww, wh = fit_within(w, h, PREDICT_SIDE)
    return a if (ww, wh) == (w, h) else resize(a, ww, wh)


class Pipeline:
    STAGES = ("decode", "check", "segment", "classify")

    def __init__(self, m):
        self.m, self.check, self.seg, self.cls = m, Check(m), Segmenter(m), Classifier(m)
        self.lung_limits = m.check_card["lung_limits"]
        self.t = {s: 0.0 for s in self.STAGES}

    def film(self, path):
        t0 = time.perf_counter()
        try:
            a, colourful = decode(path)
        except Exception as e:  # noqa: BLE001  a film that cannot be read is its own row
            raise Refused("cannot decode: " + str(e).splitlines()[0]) from None
        t1 = time.perf_counter()
        try:
            a, corrections = self.check.verdict(a, colourful)
        finally:
            t2 = time.perf_counter()
            self.t["decode"] += t1 - t0
            self.t["check"] += t2 - t1
        work = working_copy(a)
        mask = self.seg.mask(work)
        reason = lung_reason(mask, self.lung_limits)
        t3 = time.perf_counter()
        self.t["segment"] += t3 - t2
        if reason:
            raise Refused(reason)
        p = self.cls.probs(a, work, mask)
        self.t["classify"] += time.perf_counter() - t3
        return p, corrections


# ---------------------------------------------------------------- commands

def list_films(d, limit):
    films = sorted(f for f in os.listdir(d) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    return films[:limit] if limit else films


def score(a):
    m = Models(a.models, a.weights)
    pipe = Pipeline(m)
    films = list_films(a.dir, a.limit)
    t_loaded = time.time()
    rows = []
    t_first = None
    with torch.inference_mode():
        for name in films:
            path = os.path.join(a.dir, name)
            try:
                p, corrections = pipe.film(path)
                best = int(np.argmax(p))
                rows.append([path, m.classes[best], f"{p[best]:.4f}"] + [f"{v:.4f}" for v in p]
                            + ["ok", "", "; ".join(corrections)])
            except Refused as e:
                rows.append([path, "", ""] + [""] * len(m.classes) + ["refused", str(e), ""])
            if t_first is None:
                t_first = time.time()
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(["file", "predicted", "confidence"] + ["p_" + c for c in m.classes]
                         + ["status", "reason", "corrections"]) + "\n")
        for r in rows:
            f.write(",".join('"' + c.replace('"', '""') + '"' if ("," in c or '"' in c) else c for c in r) + "\n")
    os.replace(tmp, a.out)
    t_end = time.time()
    print(json.dumps({
        "side": "peer", "films": len(films), "ok": sum(r[-3] == "ok" for r in rows),
        "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
        "engine": f"PyTorch {torch.__version__}, numpy {np.__version__}, Pillow {Image.__version__}, python {sys.version.split()[0]}",
        "startup_s": round(t_loaded - T_START, 3),
        "first_film_done_s": round((t_first or t_end) - T_START, 3),
        "loop_s": round(t_end - t_loaded, 3),
        "films_per_s_after_first": round((len(films) - 1) / (t_end - t_first), 3) if t_first and len(films) > 1 else None,
        "stage_ms_per_film": {k: round(1e3 * v / max(1, len(films)), 3) for k, v in pipe.t.items()},
    }, separators=(",", ":")))


def check(a):
    """Networks on cxr4j's own input tensors; and this file's input tensors against cxr4j's for the same films."""
    m = Models(a.models, a.weights)
    pipe = Pipeline(m)
    res, ok = {"check": "networks"}, True
    with torch.inference_mode():
        members = [("classifier" if i == 0 else f"classifier.{i}", net, f[:-4]) for i, (net, f) in
                   enumerate(zip(m.cls_members, m.cls_files))]
        for key, net, what in [("input_check", m.check, "input-check"), ("segmenter", m.seg, "lung-segmenter")] + members:
            params, names, x, y = read_dump(os.path.join(a.weights, what + ".bin"))
            s = int(round(math.sqrt(x.shape[1])))
            out = net(torch.from_numpy(x.reshape(-1, 1, s, s))).numpy().reshape(len(names), -1)
            d, big = float(np.abs(out - y).max()), float(np.abs(y).max())
            agree = float((out.argmax(1) == y.argmax(1)).mean()) if key != "segmenter" else None
            res[key] = {"films": len(names), "param_arrays": len(params), "max_abs_diff": d, "max_abs_output": big}
            if agree is not None:
                res[key]["argmax_agree"] = agree
            ok &= d <= 1e-4 * max(1.0, big)
            # this file's own input tensors for the same films (Pillow's resize vs cxr4j's: see the docstring)
            mine = np.zeros_like(x)
            for i, name in enumerate(names):
                img, _ = decode(os.path.join(a.dir, name))
                v = mine[i].reshape(s, s)
                if key.startswith("classifier."):  # a later member: the same inputs as the first
                    v[:] = mine_first[i].reshape(s, s)
                elif key == "input_check":
                    check_input(img, s, v)
                elif key == "segmenter":
                    seg_tensor(working_copy(img), s, v)
                else:
                    w = working_copy(img)
                    v[:] = pipe.cls.tensor(img, w, pipe.seg.mask(w))
            if key == "classifier":
                mine_first = mine
            res[key]["peer_input_max_abs_diff"] = float(np.abs(mine - x).max())
            res[key]["peer_input_mean_abs_diff"] = float(np.abs(mine - x).mean())
    res["max_abs_diff"] = max(res[k]["max_abs_diff"] for k in ["input_check", "segmenter"] + [k for k, _, _ in members])
    res["ok"] = bool(ok)
    print(json.dumps(res, separators=(",", ":")))
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--weights", required=True, help="folder written by bench/ModelDump.java")
    p.add_argument("--models", default="models")
    p.add_argument("--out")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    if a.check:
        sys.exit(check(a))
    if not a.out:
        p.error("--out is needed to score")
    score(a)


if __name__ == "__main__":
    main()
