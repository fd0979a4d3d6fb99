#!/usr/bin/env python3
"""Python peer of bench/MaskBench.java: the same masking steps with Pillow + numpy.

Per image: decode to 8-bit grey (Image.open sniffs the format from the content, so PNG bytes in a
.jpg file are fine), parse the Darwin JSON 1.0 annotation, rasterise the polygons into a semantic
mask in file order (Lung = 255, Ignore = 127; a complex_polygon's paths are combined with XOR, i.e.
the even-odd rule), lung = mask == 255, bitwise AND image with the lung mask, crop to the lungs'
bounding box grown by 5% of its size on each side and made square (Pillow pads outside with 0),
resize to 224x224 with Image.BILINEAR.

Coordinates are pixel-corner (pixel j covers x in [j, j+1]); Pillow's polygon fill works on pixel
centres at integer coordinates, so every vertex is shifted by -0.5. Pillow also paints the pixels
under the outline, so its masks are up to about one pixel larger along the boundary than the
centre-sampled masks cxr4j draws (see the cross-check in docs/benchmarks.md).

usage: mask_peer.py DATASET --threads N --repeat R [--profile] [--compare JAVA_DUMP] [--stride K] [--limit N]
--threads 1 is a plain loop; --threads N > 1 uses multiprocessing.Pool(N) (threads would not run
in parallel under the GIL). Prints one JSON line.
"""
import argparse
import json
import os
import statistics
import struct
import sys
import time
from multiprocessing import Pool

import numpy as np
import PIL
from PIL import Image, ImageChops, ImageDraw

SIZE = 224
MARGIN = 0.05


def list_items(root):
    """(image path, annotation path) for every image with an annotation, sorted by file name."""
    img_dir = os.path.join(root, "images")
    ann_dir = os.path.join(root, "annotations")
    items = []
    for name in sorted(os.listdir(img_dir)):
        if name.startswith(".") or not name.lower().endswith((".png", ".jpg", ".jpeg")):
            continue
        ann = os.path.join(ann_dir, os.path.splitext(name)[0] + ".json")
        if os.path.isfile(ann):
            items.append((os.path.join(img_dir, name), ann))
    return items


def _points(path):
    return [(p["x"] - 0.5, p["y"] - 0.5) for p in path]


def decode(img_path):
    return Image.open(img_path).convert("L")  # convert() loads the pixels


def read_annotation(ann_path):
    with open(ann_path, "rb") as f:
        return json.load(f)


def rasterise(ann, size):
    """Semantic mask (PIL 'L'): regions in file order, Lung 255, Ignore 127; returns lung bool array."""
    sem = Image.new("L", size, 0)
    draw = ImageDraw.Draw(sem)
    for a in ann["annotations"]:
        name = a.get("name", "").lower()
        if name == "lung":
            value = 255
        elif name == "ignore":
            value = 127
        else:
            continue
        if "complex_polygon" in a:
            paths = a["complex_polygon"]["path"]
        elif "polygon" in a:
            paths = [a["polygon"]["path"]]
        else:
            continue
        if len(paths) == 1:
            draw.polygon(_points(paths[0]), fill=value)
        else:  # even-odd over several paths: XOR of the single fills
            eo = Image.new("1", size, 0)
            for p in paths:
                one = Image.new("1", size, 0)
                ImageDraw.Draw(one).polygon(_points(p), fill=1)
                eo = ImageChops.logical_xor(eo, one)
            sem.paste(value, mask=eo)
    return np.asarray(sem) == 255


def and_mask(img, lung):
    return np.bitwise_and(np.asarray(img), lung.astype(np.uint8) * 255)


def crop_box(lung):
    rows = np.flatnonzero(lung.any(axis=1))
    cols = np.flatnonzero(lung.any(axis=0))
    if rows.size == 0:
        raise ValueError("Lung polygons cover no pixel")
    x0, x1 = int(cols[0]), int(cols[-1]) + 1
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    dx, dy = int((x1 - x0) * MARGIN + 0.5), int((y1 - y0) * MARGIN + 0.5)
    x0, y0, x1, y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
    w, h = x1 - x0, y1 - y0
    side = max(w, h)
    nx0, ny0 = x0 - (side - w) // 2, y0 - (side - h) // 2
    return nx0, ny0, nx0 + side, ny0 + side


def prepare(item):
    """The whole recipe for one (image, annotation) pair; returns the 224x224 uint8 array."""
    img_path, ann_path = item
    img = decode(img_path)
    ann = read_annotation(ann_path)
    lung = rasterise(ann, img.size)
    masked = and_mask(img, lung)
    box = crop_box(lung)
    out = Image.fromarray(masked).crop(box).resize((SIZE, SIZE), Image.BILINEAR)
    return np.asarray(out)


def work(item):
    """Pool/loop worker: returns the output's pixel sum (the image itself is discarded, as in Java)."""
    try:
        return int(prepare(item).sum(dtype=np.int64))
    except Exception:
        return -1


def cpu_seconds(pool):
    """CPU time (user + system) so far of this process and the pool's workers, from /proc (Linux)."""
    pids = [os.getpid()] + ([p.pid for p in pool._pool] if pool is not None else [])
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def one_pass(items, pool):
    c0 = cpu_seconds(pool)
    t0 = time.perf_counter()
    if pool is None:
        res = [work(it) for it in items]
    else:
        res = pool.map(work, items, chunksize=16)
    secs = time.perf_counter() - t0
    cpu = cpu_seconds(pool) - c0
    failed = sum(1 for r in res if r < 0)
    return secs, failed, sum(r for r in res if r >= 0), cpu


def throughput(items, threads, repeat):
    n = len(items)
    pool = Pool(threads) if threads > 1 else None
    try:
        warm = one_pass(items, pool)[0]
        secs, ips, ipc = [], [], []
        for _ in range(repeat):
            s, failed, checksum, cpu = one_pass(items, pool)
            secs.append(s)
            ips.append((n - failed) / s)
            ipc.append((n - failed) / cpu)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return {
        "side": "python", "mode": "throughput", "threads": threads, "repeat": repeat,
        "images": n, "failed": failed, "warmup_s": round(warm, 3),
        "pass_s": [round(s, 3) for s in secs], "pass_images_per_s": [round(v, 1) for v in ips],
        "images_per_s": round(statistics.median(ips), 1), "checksum": checksum,
        "pass_images_per_cpu_s": [round(v, 1) for v in ipc], "images_per_cpu_s": round(statistics.median(ipc), 1),
        "python": sys.version.split()[0], "pillow": PIL.__version__, "numpy": np.__version__,
        "parallel": "multiprocessing.Pool(%d)" % threads if threads > 1 else "loop",
    }


STAGES = ["decode", "json", "rasterise", "and", "bbox_crop", "resize"]


def staged_pass(items, tot, by_fmt, clock):
    """One pass over items timing each stage with clock; returns the number of failures."""
    failed = 0
    for img_path, ann_path in items:
        try:
            t0 = clock()
            img = decode(img_path)
            t1 = clock()
            ann = read_annotation(ann_path)
            t2 = clock()
            lung = rasterise(ann, img.size)
            t3 = clock()
            masked = and_mask(img, lung)
            t4 = clock()
            cropped = Image.fromarray(masked).crop(crop_box(lung))
            t5 = clock()
            np.asarray(cropped.resize((SIZE, SIZE), Image.BILINEAR))
            t6 = clock()
        except Exception:
            failed += 1
            continue
        for k, (a, b) in zip(STAGES, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6)]):
            tot[k] += b - a
        if by_fmt is not None:
            fmt = Image.open(img_path).format.lower()  # header only, not timed
            f = by_fmt.setdefault(fmt, [0.0, 0, 0])
            f[0] += t1 - t0
            f[1] += 1
            f[2] += img.size[0] * img.size[1]
    return failed


def profile(items, repeat):
    """Single-process per-stage timing of the same steps prepare() does, in wall and in thread CPU time."""
    for it in items:  # warm-up (file cache, imports)
        work(it)
    tot = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    by_fmt = {}
    failed = 0
    full = full_cpu = 0.0
    pc, tc = time.perf_counter, time.thread_time
    for _ in range(repeat):
        failed = staged_pass(items, tot, by_fmt, pc)
        staged_pass(items, cpu, None, tc)
        t0, c0 = pc(), tc()
        for it in items:
            work(it)
        full += pc() - t0
        full_cpu += tc() - c0
    done = (len(items) - failed) * repeat
    ms = {k: round(v * 1e3 / done, 4) for k, v in tot.items()}
    ms["sum_of_stages"] = round(sum(tot.values()) * 1e3 / done, 4)
    ms["unsplit_pipeline"] = round(full * 1e3 / (len(items) * repeat), 4)
    cms = {k: round(v * 1e3 / done, 4) for k, v in cpu.items()}
    cms["sum_of_stages"] = round(sum(cpu.values()) * 1e3 / done, 4)
    cms["unsplit_pipeline"] = round(full_cpu * 1e3 / (len(items) * repeat), 4)
    return {
        "side": "python", "mode": "profile", "threads": 1, "repeat": repeat, "images": len(items),
        "failed": failed, "ms_per_image": ms, "cpu_ms_per_image": cms,
        "decode_by_format": {k: {"images": v[1] // repeat, "ms_per_image": round(v[0] * 1e3 / v[1], 4),
                                 "ns_per_pixel": round(v[0] * 1e9 / v[2], 3)} for k, v in sorted(by_fmt.items())},
    }


def compare(items, dump_path):
    """Compares the peer's outputs with MaskBench --dump output (not timed)."""
    by_name = {os.path.basename(i[0]): i for i in items}
    rows = []
    with open(dump_path, "rb") as f:
        data = f.read()
    off = 0
    while off < len(data):
        (nl,) = struct.unpack_from(">i", data, off); off += 4
        name = data[off:off + nl].decode("utf-8"); off += nl
        lung_j, x0, y0, x1, y1, w, h = struct.unpack_from(">7i", data, off); off += 28
        out_j = np.frombuffer(data, np.uint8, w * h, off).reshape(h, w); off += w * h
        item = by_name[name]
        img = decode(item[0])
        lung = rasterise(read_annotation(item[1]), img.size)
        box = crop_box(lung)
        out_p = prepare(item)
        diff = np.abs(out_p.astype(np.int16) - out_j.astype(np.int16))
        rows.append((int(lung.sum()) / lung_j - 1, box == (x0, y0, x1, y1), float(diff.mean()),
                     int(diff.max()), float((diff > 8).mean())))
    arr = np.array([(r[0], r[2], r[3], r[4]) for r in rows])
    return {
        "side": "python", "mode": "compare", "images": len(rows),
        "lung_pixels_python_over_java_minus_1": {"median": round(float(np.median(arr[:, 0])), 4),
                                                 "max": round(float(arr[:, 0].max()), 4),
                                                 "min": round(float(arr[:, 0].min()), 4)},
        "same_crop_box": sum(1 for r in rows if r[1]),
        "output_mean_abs_diff": {"median": round(float(np.median(arr[:, 1])), 3), "max": round(float(arr[:, 1].max()), 3)},
        "output_max_abs_diff_max": int(arr[:, 2].max()),
        "output_fraction_pixels_diff_gt8": {"median": round(float(np.median(arr[:, 3])), 4), "max": round(float(arr[:, 3].max()), 4)},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--stride", type=int, default=1, help="use every K-th film (as MaskBench --stride K)")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--compare", metavar="JAVA_DUMP")
    a = ap.parse_args()
    items = list_items(a.dataset)[::max(1, a.stride)]
    if a.limit:
        items = items[:a.limit]
    if a.compare:
        res = compare(items, a.compare)
    elif a.profile:
        res = profile(items, a.repeat)
    else:
        res = throughput(items, a.threads, a.repeat)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
