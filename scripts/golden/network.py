"""Golden values for Basin's network tests, from PyTorch definitions of the zoo.

Run with PyTorch installed:  python3 scripts/golden/network.py
Builds mlp, cnn and resnet20 for 1x8x8 images and 3 classes with the same state_dict
names, order and shapes as Basin, fills every tensor from closed-form formulas of the
flat parameter index (so Basin can fill its own flat vector the same way), and computes
in float64: the mean cross-entropy, its gradient and the Hessian-vector product
(double backward, as PyHessian does) in train() and eval() BatchNorm modes, and the
running statistics after one momentum-0.1 update and after two cumulative updates.
Prints the values as Swift literals for Tests/BasinNetworkTests/PyTorchGoldenTests.swift.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, CLASSES, SHAPE = 4, 3, (1, 8, 8)
PROBES = [0, 7, 100, 1000, 5000, 20000, 60000, 150000]


class MLP(nn.Module):
    def __init__(self, inputs, classes):
        super().__init__()
        self.fc1 = nn.Linear(inputs, 512)
        self.fc2 = nn.Linear(512, 512)
        self.fc3 = nn.Linear(512, classes)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class CNN(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 32, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(128)
        self.fc = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.bn3(self.conv3(x)))
        return self.fc(x.mean(dim=(2, 3)))


class BasicBlock(nn.Module):
    def __init__(self, inputs, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or inputs != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(inputs, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, channels, classes, blocks):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, inputs = [], 16
        for stage, width in enumerate([16, 32, 64]):
            stage_blocks = []
            for index in range(blocks):
                stride = 2 if stage > 0 and index == 0 else 1
                stage_blocks.append(BasicBlock(inputs, width, stride))
                inputs = width
            layers.append(nn.Sequential(*stage_blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(x.mean(dim=(2, 3)))


def fill(model):
    """Every parameter from its flat index i, by role, as Basin's test fills it."""
    index = 0
    modules = dict(model.named_modules())
    for name, parameter in model.named_parameters():
        owner = modules[name.rsplit(".", 1)[0]]
        batch_norm = isinstance(owner, nn.BatchNorm2d)
        bias = name.endswith("bias")
        values = []
        for k in range(parameter.numel()):
            i = index + k
            if batch_norm and not bias:
                values.append(1 + 0.1 * math.sin(0.9 * i))
            elif batch_norm:
                values.append(0.1 * math.cos(0.4 * i))
            elif bias:
                values.append(0.05 * math.cos(1.3 * i))
            else:
                values.append(0.2 * math.sin(0.7 * i + 0.3) / math.sqrt(fan_in(owner)))
        parameter.data = torch.tensor(values, dtype=torch.float64).reshape(parameter.shape)
        index += parameter.numel()
    statistic = 0
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            count = module.num_features
            module.running_mean.copy_(torch.tensor(
                [0.1 * math.sin(0.5 * (statistic + c)) for c in range(count)]))
            module.running_var.copy_(torch.tensor(
                [1 + 0.5 * math.sin(0.3 * (statistic + c)) ** 2 for c in range(count)]))
            statistic += count


def fan_in(module):
    return module.weight[0].numel()


def data():
    count = BATCH * SHAPE[0] * SHAPE[1] * SHAPE[2]
    images = torch.tensor([math.sin(0.05 * j) + math.cos(0.031 * j) for j in range(count)],
                          dtype=torch.float64).reshape(BATCH, *SHAPE)
    labels = torch.tensor([n % CLASSES for n in range(BATCH)])
    return images, labels


def direction(count):
    return torch.tensor([0.1 * math.cos(0.11 * i + 0.2) for i in range(count)],
                        dtype=torch.float64)


def derivatives(model, train):
    images, labels = data()
    model.train(train)
    parameters = list(model.parameters())
    loss = F.cross_entropy(model(images), labels)
    gradient = torch.autograd.grad(loss, parameters, create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in gradient])
    v = direction(flat.numel())
    product = torch.autograd.grad(flat @ v, parameters)
    product = torch.cat([h.reshape(-1) for h in product])
    return loss.item(), flat.detach(), product


def statistics(model, momentum, passes):
    images, _ = data()
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.momentum = momentum
            module.reset_running_stats()
    model.train()
    with torch.no_grad():
        for p in range(passes):
            model(images * (1 + 0.5 * p))
    return torch.cat([torch.cat([m.running_mean, m.running_var])
                      for m in model.modules() if isinstance(m, nn.BatchNorm2d)])


def swift(values):
    return "[" + ", ".join(f"{v:.10g}" for v in values) + "]"


def main():
    torch.set_default_dtype(torch.float64)
    inputs = SHAPE[0] * SHAPE[1] * SHAPE[2]
    for name, make in [("mlp", lambda: MLP(inputs, CLASSES)),
                       ("cnn", lambda: CNN(SHAPE[0], CLASSES)),
                       ("resnet20", lambda: ResNet(SHAPE[0], CLASSES, 3))]:
        model = make().double()
        fill(model)
        count = sum(p.numel() for p in model.parameters())
        probes = [i for i in PROBES if i < count] + [count - 1]
        print(f"// {name}: {count} parameters, probes {probes}")
        for mode, train in [("batch", True), ("running", False)]:
            fill(model)
            loss, gradient, product = derivatives(model, train)
            v = direction(count)
            print(f"{name} {mode} loss {loss:.12g}")
            print(f"{name} {mode} gradient {swift(gradient[probes].tolist())}")
            print(f"{name} {mode} gradientNorm {gradient.norm().item():.12g}")
            print(f"{name} {mode} product {swift(product[probes].tolist())}")
            print(f"{name} {mode} productNorm {product.norm().item():.12g}")
            print(f"{name} {mode} vHv {(v @ product).item():.12g}")
        if name != "mlp":
            fill(model)
            exponential = statistics(model, 0.1, 1)
            cumulative = statistics(model, None, 2)
            print(f"{name} exponential {swift(exponential[:4].tolist())} "
                  f"sum {exponential.sum().item():.12g}")
            print(f"{name} cumulative {swift(cumulative[:4].tolist())} "
                  f"sum {cumulative.sum().item():.12g}")


if __name__ == "__main__":
    main()
