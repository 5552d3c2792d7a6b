#!/usr/bin/python3
"""Per-image latency of the reference PyTorch inference, for side-by-side measurement only.

Per image, from encoded bytes already in memory: PIL open + draft('RGB', (S, S)) + EXIF orientation + RGB
(the "decode" part), then Resize((S, S)), ToTensor, ImageNet Normalize, the two-headed ShuffleNetV2 x0.5 in
eval mode under no_grad, and softmax of both heads (the "after decode" part). Weights are random: speed does not
depend on them. Images are the rows of a header-less `relative/path,label` CSV.

Usage: /usr/bin/python3 tools/reference/infer_latency.py --csv /work/shared/data/real-dev/test.csv
       [--root CSV_FOLDER] [--size 256] [--threads 1] [--warmup 3] [--passes 1]
       [--model-only 50] [--limit N]
"""
import argparse
import csv
import io
import os
import statistics
import sys
import time

import torch
from PIL import Image, ImageOps
from torchvision import transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_throughput import IMAGENET_MEAN, IMAGENET_STD, TwoHeadedShuffleNet  # noqa: E402


def summary(name, ms):
    s = sorted(ms)
    p90 = s[min(len(s) - 1, -(-9 * len(s) // 10) - 1)]
    return f"{name:<13} n={len(s):4d}  median {statistics.median(s):7.2f} ms  mean {statistics.fmean(s):7.2f} ms  p90 {p90:7.2f} ms  min {s[0]:7.2f} ms"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv", required=True)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--passes", type=int, default=1)
    p.add_argument("--model-only", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3,
                   help="per image, best of this many runs (robust to other processes on a shared machine); 0 skips")
    p.add_argument("--root", default="", help="folder the CSV paths are relative to (default: the CSV's folder)")
    p.add_argument("--limit", type=int, default=0, help="use only the first N images (smoke tests)")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    root = a.root or os.path.dirname(os.path.abspath(a.csv))
    with open(a.csv, newline="", encoding="utf-8") as f:
        paths = [os.path.join(root, r[0]) for r in csv.reader(f) if r]
    if a.limit > 0:
        paths = paths[:a.limit]
    images = []
    for path in paths:
        with open(path, "rb") as f:
            images.append(f.read())
    after_decode_transform = transforms.Compose([
        transforms.Resize((a.size, a.size)),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])
    model = TwoHeadedShuffleNet().eval()

    def decode(data):
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", (a.size, a.size))
        return ImageOps.exif_transpose(image).convert("RGB")

    def classify_decoded(image):
        x = after_decode_transform(image).unsqueeze(0)
        h1, h2 = model(x)
        return torch.softmax(h1, 1)[0, 1].item(), torch.softmax(h2, 1)[0, 1].item()

    end_to_end, decode_ms, after_ms = [], [], []
    with torch.no_grad():
        for i in range(a.warmup):
            classify_decoded(decode(images[i % len(images)]))
        for _ in range(a.passes):
            for data in images:
                t0 = time.perf_counter()
                classify_decoded(decode(data))
                end_to_end.append((time.perf_counter() - t0) * 1000)
            for data in images:
                t0 = time.perf_counter()
                image = decode(data)
                t1 = time.perf_counter()
                classify_decoded(image)
                t2 = time.perf_counter()
                decode_ms.append((t1 - t0) * 1000)
                after_ms.append((t2 - t1) * 1000)
        best_end, best_decode, best_after = [], [], []
        for data in images:
            e, d, r = [], [], []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                classify_decoded(decode(data))
                e.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                image = decode(data)
                t1 = time.perf_counter()
                classify_decoded(image)
                d.append(t1 - t0)
                r.append(time.perf_counter() - t1)
            if e:
                best_end.append(min(e) * 1000)
                best_decode.append(min(d) * 1000)
                best_after.append(min(r) * 1000)
        header, scaled, orient = [], [], []
        for data in images:
            h, d, o = [], [], []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                image = Image.open(io.BytesIO(data))
                image.draft("RGB", (a.size, a.size))
                t1 = time.perf_counter()
                image.load()
                t2 = time.perf_counter()
                ImageOps.exif_transpose(image).convert("RGB")
                t3 = time.perf_counter()
                h.append(t1 - t0)
                d.append(t2 - t1)
                o.append(t3 - t2)
            if h:
                header.append(min(h) * 1000)
                scaled.append(min(d) * 1000)
                orient.append(min(o) * 1000)
        x = after_decode_transform(decode(images[0])).unsqueeze(0)
        model_ms = []
        for _ in range(a.model_only):
            t0 = time.perf_counter()
            h1, h2 = model(x)
            torch.softmax(h1, 1), torch.softmax(h2, 1)
            model_ms.append((time.perf_counter() - t0) * 1000)

    print(f"torch {torch.__version__}, PIL {Image.__version__}, {len(images)} images from {a.csv}, {a.size}px, "
          f"torch threads {a.threads}, batch 1, random two-headed ShuffleNetV2 x0.5")
    print(summary("end-to-end", end_to_end))
    print(summary("decode", decode_ms))
    print(summary("after decode", after_ms))
    print(summary("model only", model_ms))
    if best_end:
        print(f"per image, best of {a.repeats} runs:")
        print(summary("end-to-end", best_end))
        print(summary("decode", best_decode))
        print(summary("after decode", best_after))
        print(f"decode breakdown, per image best of {a.repeats} runs:")
        print(summary("open+draft", header))
        print(summary("load (JPEG)", scaled))
        print(summary("EXIF+RGB", orient))


if __name__ == "__main__":
    main()
