#!/usr/bin/env python3
"""Crash safety of lenet-train: SIGKILL at random moments, some of them in the middle of a
checkpoint write, then --resume, until the run finishes. After every kill the checkpoint must load
(`lenet-train info`), and the final weights must equal those of a run that was never killed (same
seed, same threads): checkpoints are written to a temporary file, flushed and renamed, so a kill
leaves the old one or the new one, never half of one.

Usage: kill_test.py LENET_TRAIN MNIST_DIR SCRATCH_DIR

The kill moments come from a seeded generator, so a failure can be replayed. A kill "during a write"
is one sent as soon as a temporary checkpoint file appears: its leftover proves the write was cut."""
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from safetensors_file import tensors  # noqa: E402 (tests/support, beside this folder)

KILLS = 12               # at least 10, as the crash-safety issue asks
KILLS_DURING_WRITE = 4   # of those, sent the moment a temporary checkpoint file exists


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def temporaries():
    return {name for name in os.listdir(".") if ".tmp-" in name}


def main():
    lenet_train, mnist, scratch = sys.argv[1:4]
    os.makedirs(scratch, exist_ok=True)
    os.chdir(scratch)
    for name in os.listdir("."):
        os.remove(name)
    # 80 short epochs, a checkpoint after each: many writes to cut, a few seconds in all.
    run = [lenet_train, "train", "--arch", "lenet5-rowe98", "--data", mnist, "--train-images", "600",
           "--val-last", "100", "--test-images", "200", "--batch-size", "50", "--epochs", "80",
           "--threads", "2", "--seed", "11", "--checkpoint-every", "1"]
    subprocess.run(run + ["--out", "straight.safetensors"], check=True, stdout=subprocess.DEVNULL)
    checkpoint = "killed.checkpoint.safetensors"
    rng = random.Random(20261206)
    kills, cut_writes, resumed = 0, 0, 0
    while True:
        command = run + ["--out", "killed.safetensors"]
        if os.path.exists(checkpoint):
            command = [lenet_train, "train", "--resume", checkpoint]
            resumed += 1
        log = open("life.log", "w")
        earlier = temporaries()  # a killed write's leftover stays until the next write succeeds
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        if kills >= KILLS and cut_writes >= KILLS_DURING_WRITE:
            process.wait()  # enough kills: this life finishes the run
        if kills >= 3 * KILLS:
            fail("%d kills, and only %d of them during a checkpoint write" % (kills, cut_writes))
        # A write lasts milliseconds: a kill aimed at one may land after its rename, so every other
        # life aims at one until enough were cut.
        cut_a_write = kills % 2 == 1 and cut_writes < KILLS_DURING_WRITE
        deadline = time.monotonic() + rng.uniform(0.25, 0.8)
        while process.poll() is None:
            if cut_a_write:
                if temporaries() - earlier:
                    break
            elif time.monotonic() >= deadline:
                break
            time.sleep(0.0002)
        if process.poll() is not None:
            log.close()
            if process.returncode != 0:
                fail("a run exited with %d: %s" % (process.returncode, open("life.log").read()))
            break
        process.send_signal(signal.SIGKILL)
        process.wait()
        log.close()
        kills += 1
        leftovers = temporaries() - earlier
        if cut_a_write and leftovers:
            cut_writes += 1
        if os.path.exists(checkpoint):
            info = subprocess.run([lenet_train, "info", checkpoint], capture_output=True, text=True)
            if info.returncode != 0:
                fail("kill %d left a checkpoint that does not load: %s" % (kills, info.stdout + info.stderr))
        print("kill %d: %s%s" % (kills, "checkpoint loads" if os.path.exists(checkpoint) else "no checkpoint yet",
                                 ", cut a checkpoint write (%s left)" % min(leftovers) if leftovers else ""))
    if kills < KILLS or cut_writes < KILLS_DURING_WRITE:
        fail("the run finished after only %d kills, %d of them during a checkpoint write" % (kills, cut_writes))
    if not os.path.exists("killed.safetensors"):
        fail("the resumed run wrote no model")
    if tensors("killed.safetensors") != tensors("straight.safetensors"):
        fail("the weights after %d kills and resumes differ from the run that was never killed" % kills)
    leftovers = temporaries()
    if leftovers:
        fail("temporary files left at the end: %s" % leftovers)
    print("ok: %d SIGKILLs (%d during a checkpoint write), %d resumes, every checkpoint loaded, final weights equal "
          "the uninterrupted run's" % (kills, cut_writes, resumed))


if __name__ == "__main__":
    main()
