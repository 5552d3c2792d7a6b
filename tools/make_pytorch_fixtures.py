#!/usr/bin/python3
"""Makes the small PyTorch fixtures the C# interop tests read (run once; the outputs are committed, CI needs no Python).

Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torch python3-torchvision);
run it with /usr/bin/python3:

    /usr/bin/python3 tools/make_pytorch_fixtures.py tests/TwinHead.Training.Tests/Fixtures/pytorch

Writes
  two_headed.pt    state_dict of the reference two-headed module (torchvision ShuffleNetV2 x0.5 trunk as
                   `base_model`, whose unused conv5 is saved as the reference does; per-head 1x1 conv + BN + ReLU,
                   mean pool, Linear(., 2)). The key set is the reference's; to keep the fixtures under 3 MB the
                   head convs have 128 channels and the dead conv5 256 (the reference: 1024 and 1024)
  three_output.pt  state_dict of torchvision shufflenet_v2_x0_5 with fc = Linear(1024, 3)
  expected.json    logits both modules give (eval mode) on a fixed input that C# recomputes from a formula

    /usr/bin/python3 tools/make_pytorch_fixtures.py --verify FILE.pt {two-headed|three-output} [HEAD_CHANNELS]

loads a state_dict written by TwinHead (save_py) into the reference module with strict=True and prints its
logits on the fixed input, to check that files we write load in PyTorch.
"""
import json
import math
import sys

import numpy as np
import torch
from torch import nn
import torchvision

IMAGE_SIZE = 64
BATCH = 2
HEAD_CHANNELS = 128
DEAD_CONV5_CHANNELS = 256


class ReferenceTwoHeaded(nn.Module):
    """The reference pipeline's two-headed module, written from its description (DESIGN.md section 2)."""

    def __init__(self, head_channels=1024, conv5_channels=1024):
        super().__init__()
        self.base_model = torchvision.models.ShuffleNetV2([4, 8, 4], [24, 48, 96, 192, conv5_channels])
        self.base_model.fc = nn.Identity()
        trunk = 192
        self.head1_conv = nn.Sequential(nn.Conv2d(trunk, head_channels, 1, bias=False), nn.BatchNorm2d(head_channels), nn.ReLU(inplace=True))
        self.head2_conv = nn.Sequential(nn.Conv2d(trunk, head_channels, 1, bias=False), nn.BatchNorm2d(head_channels), nn.ReLU(inplace=True))
        self.fc1 = nn.Linear(head_channels, 2)
        self.fc2 = nn.Linear(head_channels, 2)

    def forward(self, x):
        b = self.base_model
        x = b.stage4(b.stage3(b.stage2(b.maxpool(b.conv1(x)))))
        screen = self.fc1(self.head1_conv(x).mean([2, 3]))
        not_document = self.fc2(self.head2_conv(x).mean([2, 3]))
        return torch.cat([screen, not_document], 1)


def three_output():
    model = torchvision.models.shufflenet_v2_x0_5(weights=None)
    model.fc = nn.Linear(1024, 3)
    return model


INPUT_FORMULA = "x[b,c,y,x] = 2 sin(0.09 (b+1) x + 0.8 c) cos(0.05 (2-b) y) + 0.3 b, float64 then float32"


def fixed_input():
    """Smooth patterns that differ per sample (see INPUT_FORMULA); C# computes the same values."""
    values = np.zeros((BATCH, 3, IMAGE_SIZE, IMAGE_SIZE), dtype=np.float64)
    for b in range(BATCH):
        for c in range(3):
            for y in range(IMAGE_SIZE):
                for x in range(IMAGE_SIZE):
                    values[b, c, y, x] = 2.0 * math.sin(0.09 * (b + 1) * x + 0.8 * c) * math.cos(0.05 * (2 - b) * y) + 0.3 * b
    return torch.tensor(values.astype(np.float32))


def make_realistic(model, seed):
    """BN running statistics from one batch (momentum 1, so eval keeps the signal alive through the stages instead of
    letting stale unit variances shrink it to a constant) and spread affine parameters, so loading is checked on values
    that reach the output."""
    torch.manual_seed(seed)
    model.train()
    batch_norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in batch_norms:
            bn.momentum = 1.0
        model(torch.randn(8, 3, IMAGE_SIZE, IMAGE_SIZE) * 1.5 + 0.3)
        for bn in batch_norms:
            bn.momentum = 0.1
            bn.weight.uniform_(0.6, 1.4)
            bn.bias.normal_(0, 0.2)
    model.eval()
    return model


def logits_of(model):
    with torch.no_grad():
        return model(fixed_input()).flatten().tolist()


def make(out_dir):
    torch.set_num_threads(1)
    two = make_realistic(ReferenceTwoHeaded(HEAD_CHANNELS, DEAD_CONV5_CHANNELS), 1)
    three = make_realistic(three_output(), 2)
    torch.save(two.state_dict(), f"{out_dir}/two_headed.pt")
    torch.save(three.state_dict(), f"{out_dir}/three_output.pt")
    expected = {
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "input": {"shape": [BATCH, 3, IMAGE_SIZE, IMAGE_SIZE], "formula": INPUT_FORMULA},
        "two_headed": {"head_channels": HEAD_CHANNELS, "dead_conv5_channels": DEAD_CONV5_CHANNELS, "logits": logits_of(two),
                       "dead_keys": [k for k in two.state_dict() if k.startswith("base_model.conv5.")]},
        "three_output": {"logits": logits_of(three)},
    }
    with open(f"{out_dir}/expected.json", "w") as f:
        json.dump(expected, f, indent=1)
    print(f"wrote fixtures to {out_dir}: {len(two.state_dict())} and {len(three.state_dict())} state_dict entries")


def verify(path, architecture, head_channels):
    model = ReferenceTwoHeaded(head_channels) if architecture == "two-headed" else three_output()
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state, strict=True)
    model.eval()
    print(f"{path}: loaded strictly into the reference {architecture} module ({len(state)} entries)")
    print("logits:", [round(v, 6) for v in logits_of(model)])


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--verify":
        verify(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1024)
    elif len(sys.argv) == 2:
        make(sys.argv[1])
    else:
        sys.exit(__doc__)
