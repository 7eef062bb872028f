"""Golden values for Basin's optimizer tests, from torch.optim.SGD and torch.optim.AdamW.

Run with PyTorch installed:  python3 scripts/golden/optimizers.py
Six parameters start at THETA0. Step k (0-based) uses the gradient
g_k[i] = BASE[i] * (1 + 0.5 k) - 0.1 k, learning rate LRS[k] and momentum (or beta1)
MOMENTA[k]. Parameters 4 and 5 sit in a second parameter group without weight decay,
which is what Basin's weight-decay exemption does. Prints the parameters and the
optimizer's state vectors after all steps, as float32, in Swift literal form.
"""
import torch

THETA0 = [0.5, -1.5, 2.0, 0.1, -0.3, 1.0]
BASE = [0.3, -0.7, 1.1, 0.05, -0.2, 0.4]
LRS = [0.1, 0.2, 0.3, 0.2, 0.1]
MOMENTA = [0.9, 0.85, 0.8, 0.85, 0.9]


def run(make_optimizer, momentum_key):
    decayed = torch.nn.Parameter(torch.tensor(THETA0[:4], dtype=torch.float32))
    exempt = torch.nn.Parameter(torch.tensor(THETA0[4:], dtype=torch.float32))
    optimizer = make_optimizer(decayed, exempt)
    for k, (lr, momentum) in enumerate(zip(LRS, MOMENTA)):
        gradient = [b * (1 + 0.5 * k) - 0.1 * k for b in BASE]
        decayed.grad = torch.tensor(gradient[:4], dtype=torch.float32)
        exempt.grad = torch.tensor(gradient[4:], dtype=torch.float32)
        for group in optimizer.param_groups:
            group["lr"] = lr
            if momentum_key == "betas":
                group["betas"] = (momentum, group["betas"][1])
            else:
                group["momentum"] = momentum
        optimizer.step()
    state = {}
    for name in optimizer.state[decayed]:
        if name != "step":
            state[name] = torch.cat([optimizer.state[decayed][name],
                                     optimizer.state[exempt][name]])
    return torch.cat([decayed.detach(), exempt.detach()]), state


def literal(values):
    return "[" + ", ".join(repr(float(v)) for v in values.tolist()) + "]"


cases = [
    ("SGD(momentum, weight_decay=0.01 on 0..<4)",
     lambda d, e: torch.optim.SGD([{"params": [d], "weight_decay": 0.01},
                                   {"params": [e], "weight_decay": 0.0}], lr=0.1, momentum=0.9),
     "momentum"),
    ("SGD(momentum, nesterov=True, weight_decay=0.01 on 0..<4)",
     lambda d, e: torch.optim.SGD([{"params": [d], "weight_decay": 0.01},
                                   {"params": [e], "weight_decay": 0.0}], lr=0.1, momentum=0.9,
                                  nesterov=True),
     "momentum"),
    ("SGD(momentum, dampening=0.2, no weight decay)",
     lambda d, e: torch.optim.SGD([d, e], lr=0.1, momentum=0.9, dampening=0.2),
     "momentum"),
    ("AdamW(betas=(beta1, 0.999), eps=1e-8, weight_decay=0.1 on 0..<4)",
     lambda d, e: torch.optim.AdamW([{"params": [d], "weight_decay": 0.1},
                                     {"params": [e], "weight_decay": 0.0}], lr=0.1),
     "betas"),
]

print(f"// torch {torch.__version__}")
for name, make, key in cases:
    parameters, state = run(make, key)
    print(f"// {name}")
    print(f"parameters: {literal(parameters)}")
    for vector, values in state.items():
        print(f"{vector}: {literal(values)}")
