#!/usr/bin/python3
"""Training throughput of the reference PyTorch pipeline, for side-by-side measurement only.

Rebuilds the reference recipe (DESIGN.md section 2) with Debian's python3-torch 1.13: PIL decode with
draft, Resize((S, S)), RandomRotation(10), ToTensor, ImageNet Normalize; DataLoader with shuffle and worker
processes; torchvision ShuffleNetV2 x0.5 trunk with two 1x1-conv heads; Adam; 2*CE(head 1) + CE(head 2) with
label smoothing. Prints images/s for each full epoch, loading included, no validation.

Usage: /usr/bin/python3 tools/reference/train_throughput.py --data ROOT [--split train] [--epochs 2]
       [--size 256] [--batch 32] [--threads 2] [--workers 2] [--seed 42] [--mode train|loader|step]
"""
import argparse
import csv
import os
import time

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


class SplitCsvDataset(torch.utils.data.Dataset):
    """Rows of a header-less `relative/path,label` CSV, decoded the way the reference does."""

    def __init__(self, root, split, size, transform):
        self.root = root
        self.size = size
        self.transform = transform
        with open(os.path.join(root, split + ".csv"), newline="", encoding="utf-8") as f:
            self.rows = [(r[0], int(r[1])) for r in csv.reader(f) if r]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        image = Image.open(os.path.join(self.root, path))
        image.draft("RGB", (self.size, self.size))
        return self.transform(image.convert("RGB")), label


class TwoHeadedShuffleNet(nn.Module):
    """ShuffleNetV2 x0.5 trunk (conv1..stage4) shared by two heads: 1x1 conv 192->1024, BN, ReLU, mean pool, Linear(1024, 2)."""

    def __init__(self):
        super().__init__()
        self.base_model = torchvision.models.shufflenet_v2_x0_5(weights=None)
        self.head1_conv = self._head()
        self.head2_conv = self._head()
        self.fc1 = nn.Linear(1024, 2)
        self.fc2 = nn.Linear(1024, 2)

    @staticmethod
    def _head():
        return nn.Sequential(nn.Conv2d(192, 1024, 1, bias=False), nn.BatchNorm2d(1024), nn.ReLU(inplace=True))

    def forward(self, x):
        b = self.base_model
        x = b.stage4(b.stage3(b.stage2(b.maxpool(b.conv1(x)))))
        return self.fc1(self.head1_conv(x).mean([2, 3])), self.fc2(self.head2_conv(x).mean([2, 3]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="train")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--mode", choices=["train", "loader", "step"], default="train",
                   help="train: full epochs; loader: iterate the DataLoader alone; step: forward/backward/step on one fixed batch")
    p.add_argument("--steps", type=int, default=30, help="timed steps in --mode step")
    a = p.parse_args()

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    transform = transforms.Compose([
        transforms.Resize((a.size, a.size)),
        transforms.RandomRotation(10),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])
    dataset = SplitCsvDataset(a.data, a.split, a.size, transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=a.batch, shuffle=True, num_workers=a.workers)
    model = TwoHeadedShuffleNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    ce = nn.CrossEntropyLoss(label_smoothing=0.1)
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, {len(dataset)} images, {a.size}px, "
          f"batch {a.batch}, torch threads {a.threads}, loader workers {a.workers}", flush=True)

    model.train()
    if a.mode == "loader":
        for epoch in range(1, a.epochs + 1):
            start = time.perf_counter()
            seen = sum(len(y) for _, y in loader)
            seconds = time.perf_counter() - start
            print(f"loader alone, epoch {epoch}: {seen / seconds:.1f} images/s ({seen} images in {seconds:.1f} s)", flush=True)
        return
    if a.mode == "step":
        x, y = next(iter(loader))
        for i in range(a.steps + 3):
            if i == 3:
                start = time.perf_counter()
            h1, h2 = model(x)
            loss = 2 * ce(h1, (y == 2).long()) + ce(h2, (y == 1).long())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        print(f"step alone (fixed batch of {len(y)}): {seconds / a.steps * 1000:.1f} ms/step, "
              f"{a.steps * len(y) / seconds:.1f} images/s", flush=True)
        return
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        seen = 0
        wait = 0.0
        fetch_start = time.perf_counter()
        for x, y in loader:
            wait += time.perf_counter() - fetch_start
            h1, h2 = model(x)
            loss = 2 * ce(h1, (y == 2).long()) + ce(h2, (y == 1).long())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(y)
            fetch_start = time.perf_counter()
        seconds = time.perf_counter() - start
        print(f"epoch {epoch}: {seen / seconds:.1f} images/s ({seen} images in {seconds:.1f} s; "
              f"{wait:.1f} s waiting for the loader)", flush=True)


if __name__ == "__main__":
    main()
