#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus (corpus/*): small valid files of each format, so that libFuzzer
starts from inputs that reach deep into each parser. Run from tests/fuzz; the output is committed.
The corpus also holds what the fuzzers found (corpus/*/found-*, not written here), so that every
smoke run replays them."""
import gzip
import json
import struct


def idx(dims, data):
    return bytes([0, 0, 8, len(dims)]) + b''.join(struct.pack('>I', d) for d in dims) + bytes(data)


def safetensors(tensors, metadata, dtype='F32'):
    header = {}
    if metadata is not None:
        header['__metadata__'] = metadata
    offset, data = 0, b''
    for name, shape, values in sorted(tensors):
        raw = struct.pack(('<%df' if dtype == 'F32' else '<%de') % len(values), *values)
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    return struct.pack('<Q', len(text)) + text + data


def write(path, content):
    with open(path, 'wb' if isinstance(content, bytes) else 'w') as f:
        f.write(content)


write('corpus/idx/labels', idx([10], [i % 10 for i in range(10)]))
images = idx([2, 4, 4], [(i * 37) % 256 for i in range(32)])
write('corpus/idx/images', images)
write('corpus/idx/images.gz', gzip.compress(images, mtime=0))
write('corpus/idx/empty', idx([0, 28, 28], []))

meta = {'format': 'lenet-toolchain/1', 'arch': 'input(1,4,4) flatten dense(2)', 'input_shape': '1x4x4',
        'normalization_mean': '0.1307', 'normalization_std': '0.3081', 'parameters': '34'}
weights = [((i * 13) % 7 - 3) / 8 for i in range(32)]
model = [('fc1.weight', [2, 16], weights), ('fc1.bias', [2], [0.5, -0.25])]
write('corpus/safetensors/model.safetensors', safetensors(model, meta))
write('corpus/safetensors/model-f16.safetensors', safetensors(model, meta, 'F16'))
conv_meta = dict(meta, arch='input(1,4,4) conv(2,3,same) relu maxpool(2) flatten dense(2)', parameters='62')
conv = [('conv1.weight', [2, 1, 3, 3], [((i * 5) % 9 - 4) / 8 for i in range(18)]), ('conv1.bias', [2], [0, 0.125]),
        ('fc1.weight', [2, 8], [((i * 3) % 5 - 2) / 4 for i in range(16)]), ('fc1.bias', [2], [0.25, 0])]
write('corpus/safetensors/conv.safetensors', safetensors(conv, conv_meta))
checkpoint = model + [('optimizer.adam_m.fc1.weight', [2, 16], [0.0] * 32), ('best.fc1.weight', [2, 16], weights)]
write('corpus/safetensors/checkpoint.safetensors', safetensors(checkpoint, dict(meta, batches_done='3')))
write('corpus/safetensors/bare.safetensors', safetensors([('w', [3], [1, 2, 3])], None))

one = {'width': 280, 'height': 280, 'penWidth': 18, 'strokes': [[[140, 40], [150, 120], [145, 240]]]}
seven = {'width': 300, 'height': 200, 'penWidth': 12.5,
         'strokes': [[[60, 40], [220, 40], [120, 190]], [[100, 110], [180, 112]]]}
dot = {'width': 100, 'height': 100, 'penWidth': 8, 'strokes': [[[50, 50]]]}
write('corpus/drawing/one.json', json.dumps(one))
write('corpus/drawing/list.json', json.dumps([seven, dot]))
write('corpus/drawing/labelled.json', json.dumps([dict(one, label=1, style='flagged-1'), dict(seven, label=7)]))
write('corpus/drawing/empty.json', json.dumps({'width': 280, 'height': 280, 'penWidth': 18, 'strokes': []}))

specs = {
    'lenet': 'lenet', 'lenet5': 'lenet5', 'lenet-web': 'lenet-web', 'lenet5-rowe98': 'lenet5-rowe98',
    'small': 'input(1,8,8) conv(4,3,same) relu maxpool(2) conv(8,3) tanh avgpool flatten dense(16) sigmoid dense(3)',
    'padded': 'input(2,6,5) conv(3,5,2) relu maxpool(2) flatten dense(2)',
    'dense': 'input(1,4,4) flatten dense(2)',
}
for name, text in specs.items():
    write('corpus/spec/' + name, text)
