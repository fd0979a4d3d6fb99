"""Where a cxr4j training run's time goes, from a JFR recording (bench/train_epoch_bench.sh with JFR=1).

  python3 bench/jfr_train_stages.py WORK/cxr4j.jfr [--top 15]

Reads `jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample` (Java code running, and Java threads
inside a native method, i.e. in libtorch through JNI) and assigns each sample to the first stage whose marker occurs
in its stack (the list below is in priority order). Prints samples per thread and stage, and the top innermost
frames. JFR samples Java threads only: libtorch's own worker threads are not seen, their time shows as the calling
Java thread waiting in the native method.
"""
import collections
import sys

from jfr_samples import events as read_events, frames

# (stage, marker): a sample belongs to the first stage whose marker occurs anywhere in its stack
STAGES = [
    ("optimizer (AdamW)", "ai.djl.training.optimizer"),
    ("optimizer (AdamW)", "ParameterStore.updateAllParameters"),
    ("weight average (EMA)", "Net.updateEma"),
    ("weight average (EMA)", "Net.useEma"),
    ("backward", "GradientCollector.backward"),
    ("backward", "PtGradientCollector.backward"),
    ("gradient zeroing", "newGradientCollector"),
    ("gradient zeroing", "zeroGradients"),
    ("forward + loss", "Trainer.forward"),
    ("forward + loss", "NetTrainer.step"),
    ("validation forward", "Net.forward"),
    ("style augmentation", "Augment.style"),
    ("outline jitter", "MaskOps.dilate"),
    ("outline jitter", "MaskOps.erode"),
    ("affine augmentation", "ImageOps.affine"),
    ("augmentation (other)", "Augment.apply"),
    ("normalise", "InputRecipe.normalise"),
    ("decode", "io.cxr4j.image.ImageReader"),
    ("decode", "javax.imageio"),
    ("decode", "com.sun.imageio"),
    ("mask cache (hash, read)", "io.cxr4j.segment.MaskCache"),
    ("annotation masks", "io.cxr4j.data.MaskSource"),
    ("annotation masks", "io.cxr4j.mask.Polygon"),
    ("crop + resize", "io.cxr4j.prep.InputRecipe"),
    ("crop + resize", "io.cxr4j.image.ImageOps"),
    ("checkpoint, curves, reports", "io.cxr4j.train.Checkpoints"),
    ("checkpoint, curves, reports", "io.cxr4j.report"),
    ("checkpoint, curves, reports", "TrainingListeners"),
    ("engine start, model load", "ai.djl.engine"),
    ("engine start, model load", "Net.load"),
    ("engine start, model load", "Net.create"),
    ("dataset scan, split", "io.cxr4j.data"),
    ("batch preparation (other)", "TrainingLoop$Prefetched"),
    ("batch preparation (other)", "ClassifierTrainer$Task.prepare"),
]


def stage(fr):
    for name, marker in STAGES:
        if any(marker in f for f in fr):
            return name
    return "other"


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    events = read_events(path, 96)
    by = collections.Counter()
    inner = collections.Counter()
    threads = collections.Counter()
    total = collections.Counter()
    for e in events:
        kind = "java" if e["type"] == "jdk.ExecutionSample" else "native"
        th = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
        fr = frames(e)
        s = stage(fr)
        by[(th, s, kind)] += 1
        total[kind] += 1
        threads[th] += 1
        if fr:
            inner[(fr[0], kind)] += 1
    print(f"samples: {total['java']} running Java code, {total['native']} in native methods (libtorch through JNI)")
    for th, n in threads.most_common():
        if n < 0.01 * sum(threads.values()):
            continue
        print(f"\nthread {th}: {n} samples")
        rows = collections.Counter()
        for (t, s, k), c in by.items():
            if t == th:
                rows[(s, k)] += c
        for (s, k), c in rows.most_common():
            print(f"  {c / n:6.1%}  {s:<30} {k}")
    print(f"\ntop {top} innermost frames")
    n = sum(inner.values())
    for (f, k), c in inner.most_common(top):
        print(f"  {c / n:6.1%}  {f} ({k})")


if __name__ == "__main__":
    main()
