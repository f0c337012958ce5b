#!/usr/bin/env python3
"""The safetensors files of the CLI tests, read and rewritten the one way (the format: an 8-byte
little-endian header length, a JSON header naming each tensor's byte range, then the data).

As a module (kill_test.py): tensors(path), metadata(path), write_with_metadata(source, target, changes).
As a command (the CLI tests, tests/trainer/cli/):
  safetensors_file.py same-weights A B             exit 0 when both hold the same tensors, bit for bit
  safetensors_file.py get-metadata FILE KEY        print one metadata value
  safetensors_file.py set-metadata FILE OUT K=V... OUT: FILE with those metadata values replaced
"""
import json
import struct
import sys


def read(path):
    """(header, data): the parsed JSON header and the bytes after it."""
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def tensors(path):
    """Name -> raw bytes of each tensor (models also hold timings: runs compare on tensors)."""
    header, data = read(path)
    return {name: data[entry["data_offsets"][0]:entry["data_offsets"][1]]
            for name, entry in header.items() if name != "__metadata__"}


def metadata(path):
    return read(path)[0].get("__metadata__", {})


def write_with_metadata(source, target, changes):
    """Writes source to target with the metadata values in changes (str -> str) replaced."""
    header, data = read(source)
    header.setdefault("__metadata__", {}).update(changes)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)  # the data stays 8-byte aligned, as writers keep it
    with open(target, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + data)


def main(args):
    command = args[0] if args else ""
    if command == "same-weights" and len(args) == 3:
        a, b = tensors(args[1]), tensors(args[2])
        return 0 if a == b and a else 1
    if command == "get-metadata" and len(args) == 3:
        print(metadata(args[1])[args[2]])
        return 0
    if command == "set-metadata" and len(args) >= 4:
        write_with_metadata(args[1], args[2], dict(change.split("=", 1) for change in args[3:]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
