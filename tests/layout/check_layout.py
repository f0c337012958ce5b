#!/usr/bin/env python3
"""The layout as a test: every quoted include names its file from the repository root
("core/<stage>/x.hpp"), exists, and points down the stages, never up or sideways.

core/:           base < kernels < nn < formats, ink < train, read
native_trainer/: report, cuda < run < commands < main.cpp
Usage: check_layout.py REPO_ROOT; prints each breach, exits 1 if there is one."""
import os
import re
import sys

CORE_RANK = {'base': 0, 'kernels': 1, 'nn': 2, 'formats': 3, 'ink': 3, 'train': 4, 'read': 4}
TRAINER_RANK = {'report': 0, 'cuda': 0, 'run': 1, 'commands': 2, '': 3}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of(path):
    """('core', stage, rank) or ('native_trainer', folder, rank), or None for other folders."""
    parts = path.split('/')
    if parts[0] == 'core' and len(parts) > 2:
        return ('core', parts[1], CORE_RANK.get(parts[1]))
    if parts[0] == 'native_trainer':
        folder = parts[1] if len(parts) > 2 else ''
        return ('native_trainer', folder, TRAINER_RANK.get(folder))
    return None


def breaches(root):
    for top in ('core', 'native_trainer', 'wasm_bindings', 'tests', 'bench'):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith(('.hpp', '.cpp', '.cu', '.h')):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                here = stage_of(path)
                if here and here[2] is None:
                    yield f'{path}: folder "{here[1]}" is no stage of {here[0]}/ (check_layout.py lists them)'
                    continue
                with open(os.path.join(root, path), encoding='utf-8') as f:
                    text = f.read()
                for inc in INCLUDE.findall(text):
                    if not inc.startswith(('core/', 'native_trainer/')):
                        continue  # tests' own helpers, wasm_bindings' own headers
                    if not os.path.exists(os.path.join(root, inc)):
                        yield f'{path}: includes "{inc}", which does not exist (name it from the repository root)'
                        continue
                    there = stage_of(inc)
                    if here is None or there is None:
                        continue
                    if here[0] == 'core' and there[0] != 'core':
                        yield f'{path}: core/ includes "{inc}" from outside core/'
                    elif here[0] == there[0] and here[1] != there[1] and there[2] >= here[2]:
                        yield f'{path} ({here[1]}/) includes "{inc}" ({there[1]}/): not a stage below it'


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    found = list(breaches(root))
    for line in found:
        print(line)
    print(f'layout: {len(found)} breach(es)')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
