"""Saves a PyTorch model of the zoo's `mlp` with safetensors.torch.save_file and prints its
test loss and accuracy on the embedded Fashion-MNIST subset, computed in PyTorch, so that
`basin eval FILE --model mlp --data embedded` can be compared with it.

Usage: python3 scripts/pytorch-eval-check.py OUT.safetensors
Needs torch and safetensors; the package never runs this.
"""
import gzip
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

EMBEDDED = Path(__file__).resolve().parent.parent / "Sources/BasinData/Resources/embedded"


def idx(name):
    data = gzip.open(EMBEDDED / name).read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 512)
        self.fc2 = torch.nn.Linear(512, 512)
        self.fc3 = torch.nn.Linear(512, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x.flatten(1)))
        return self.fc3(torch.relu(self.fc2(x)))


def main():
    torch.manual_seed(0)
    train = idx("train-images-idx3-ubyte.gz").astype(np.float64) / 255
    # Basin's normalisation: population mean and standard deviation of the training pixels.
    mean, std = train.mean(), train.std()
    images = torch.tensor((idx("t10k-images-idx3-ubyte.gz") / 255 - mean) / std).float()
    labels = torch.tensor(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    model = MLP()
    # A few steps so the weights are not the initial ones.
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    trainImages = torch.tensor((train - mean) / std).float()
    trainLabels = torch.tensor(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    for step in range(50):
        batch = slice(step * 100, step * 100 + 100)
        loss = torch.nn.functional.cross_entropy(model(trainImages[batch]), trainLabels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    save_file(model.state_dict(), sys.argv[1])
    with torch.no_grad():
        logits = model(images)
        loss = torch.nn.functional.cross_entropy(logits.double(), labels).item()
        accuracy = (logits.argmax(1) == labels).double().mean().item()
    print(f"pytorch test loss {loss!r} accuracy {accuracy!r}")


if __name__ == "__main__":
    main()
