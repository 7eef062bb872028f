"""Time PyHessian's top-eigenvalue method on a Basin checkpoint, and make checkpoints.

PyHessian (Yao et al. 2020) computes Hessian-vector products by double backward
(torch.autograd.grad of the gradient with create_graph=True) with the model in eval
mode, and finds the top eigenvalue by power iteration (maxIter=100, tol=1e-3). This
script does the same on the first N training images of the embedded Fashion-MNIST
subset, normalised with the training split's statistics, so that its time per product
can be set beside `basin curvature --max-iterations 20` on the same machine.

  python3 scripts/hessian-power-benchmark.py train mlp OUT.safetensors
  python3 scripts/hessian-power-benchmark.py time CHECKPOINT.safetensors [--images 1024]

`train` fits the zoo's mlp or cnn for one epoch (SGD, lr 0.05, momentum 0.9, batch 128)
and writes a checkpoint with Basin's metadata. Needs torch and safetensors.
"""

import gzip
import struct
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

DATA = Path(__file__).resolve().parent.parent / "Sources/BasinData/Resources/embedded"


def read_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims :]), dtype=torch.uint8).reshape(shape)


def training_data():
    images = read_idx(DATA / "train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
    labels = read_idx(DATA / "train-labels-idx1-ubyte.gz").long()
    mean, std = images.mean().item(), images.std(unbiased=False).item()
    return (images - mean) / std, labels


def make_model(architecture):
    if architecture == "mlp":
        model = nn.Module()
        model.fc1, model.fc2, model.fc3 = nn.Linear(784, 512), nn.Linear(512, 512), nn.Linear(512, 10)

        def forward(x):
            x = torch.relu(model.fc1(x.flatten(1)))
            return model.fc3(torch.relu(model.fc2(x)))

        model.forward = forward
        return model
    model = nn.Module()
    channels = [1, 32, 64, 128]
    for index in range(3):
        setattr(model, f"conv{index + 1}", nn.Conv2d(channels[index], channels[index + 1], 3, padding=1, bias=False))
        setattr(model, f"bn{index + 1}", nn.BatchNorm2d(channels[index + 1]))
    model.fc = nn.Linear(128, 10)

    def forward(x):
        for index in range(3):
            x = torch.relu(getattr(model, f"bn{index + 1}")(getattr(model, f"conv{index + 1}")(x)))
            if index < 2:
                x = nn.functional.max_pool2d(x, 2)
        return model.fc(x.mean(dim=(2, 3)))

    model.forward = forward
    return model


def train(architecture, output):
    torch.manual_seed(0)
    images, labels = training_data()
    model = make_model(architecture)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    order = torch.randperm(len(labels))
    iteration = 0
    for start in range(0, len(labels) - 127, 128):
        batch = order[start : start + 128]
        loss = nn.functional.cross_entropy(model.forward(images[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        iteration += 1
    metadata = {
        "basin_format_version": "1", "kind": "snapshot", "architecture": architecture,
        "input_shape": "[1, 28, 28]", "class_count": "10", "iteration": str(iteration),
        "learning_rate": "0.05", "momentum": "0.9", "dataset": "embedded",
    }
    state = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, output, metadata=metadata)
    print(f"{architecture}: {iteration} steps, last batch loss {loss.item():.4f} -> {output}")


def time_power_iteration(checkpoint, image_count, iterations=100, tolerance=1e-3):
    state = load_file(checkpoint)
    architecture = "cnn" if "conv1.weight" in state else "mlp"
    model = make_model(architecture)
    model.load_state_dict(state)
    model.eval()
    images, labels = training_data()
    x, y = images[:image_count], labels[:image_count]
    parameters = [p for p in model.parameters()]

    start = time.perf_counter()
    loss = nn.functional.cross_entropy(model.forward(x), y)
    gradients = torch.autograd.grad(loss, parameters, create_graph=True)
    torch.manual_seed(0)
    v = [torch.randn_like(p) for p in parameters]
    norm = torch.sqrt(sum((u * u).sum() for u in v))
    v = [u / (norm + 1e-6) for u in v]
    eigenvalue, products = None, 0
    for _ in range(iterations):
        hv = torch.autograd.grad(gradients, parameters, grad_outputs=v, retain_graph=True)
        products += 1
        estimate = sum((a * b).sum() for a, b in zip(hv, v)).item()
        norm = torch.sqrt(sum((u * u).sum() for u in hv))
        v = [u / (norm + 1e-6) for u in hv]
        if eigenvalue is not None and abs(eigenvalue - estimate) / (abs(eigenvalue) + 1e-6) < tolerance:
            eigenvalue = estimate
            break
        eigenvalue = estimate
    elapsed = time.perf_counter() - start
    print(
        f"{architecture}: top eigenvalue {eigenvalue:.5f} after {products} products on "
        f"{image_count} images in {elapsed:.3f} s ({elapsed / products * 1000:.1f} ms per product, "
        f"{torch.get_num_threads()} threads)")


if __name__ == "__main__":
    if sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    else:
        count = int(sys.argv[sys.argv.index("--images") + 1]) if "--images" in sys.argv else 1024
        time_power_iteration(sys.argv[2], count)
