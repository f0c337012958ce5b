// Appended inside the Emscripten module factory (--post-js): turns the C exports of
// lenet_api.cpp into JavaScript calls on the module object. Emscripten 3.1.6's JS optimizer
// mangles destructuring in for-of loops: write plain loops here.
//   module.loadModel(bytes, source) -> model info (arch, parameters, testAccuracy, ...);
//       throws an Error with the core's one-sentence message for a bad file.
//   module.classify({width, height, penWidth, strokes: [[[x, y], ...], ...]})
//       -> {empty, probabilities (Float32Array, null when empty), plausible (false: it does not look
//           like a digit, whatever the probabilities say), input (784 floats), milliseconds}
//   module.checkDrawing(drawing) -> undefined; throws an Error for a drawing the core would not
//       learn from: with check_drawing's sentence, or 'drawing: it has no ink' (and a TypeError
//       for something that is not a drawing object at all)
//   module.classifyPixels(784 floats) -> the same, for a digit that is already 28x28 (the network
//       alone: plausible is always true)
//   module.featureMaps() -> [{name ('conv1', 'pool1', ...), kind ('conv', 'maxpool' or 'avgpool'),
//       channels, height, width, data (Float32Array, channels x height x width)}, ...]: every
//       convolution and pooling layer's output for the last classified drawing, in network order
//       (one more network pass, only when called); [] when that drawing was empty; throws before
//       any classification
//   (the Worker's module, lenet-learn.mjs, adds module.createFinetuner: finetune_api.js)

function lenetString(pointer) {
  let end = pointer;
  while (HEAPU8[end] !== 0) end++;
  return new TextDecoder().decode(HEAPU8.subarray(pointer, end));
}

function lenetFail() {
  throw new Error(lenetString(_lenet_error()));
}

// Copies bytes into wasm memory for the duration of `use(pointer)`.
function lenetWithBytes(bytes, use) {
  const pointer = _malloc(Math.max(bytes.length, 1));
  if (pointer === 0) throw new Error('out of memory');
  try {
    HEAPU8.set(bytes, pointer);
    return use(pointer);
  } finally {
    _free(pointer);
  }
}

Module['loadModel'] = function (bytes, source) {
  const name = new TextEncoder().encode(String(source) + '\0');
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  lenetWithBytes(name, (namePointer) =>
    lenetWithBytes(data, (dataPointer) => {
      if (_lenet_load_model(dataPointer, data.length, namePointer) !== 0) lenetFail();
    }));
  return lenetModelInfo();
};

// {arch, parameters, weightsDtype ('F32', 'F16' or 'BF16': how the file stores the weights),
//  classes, inputShape, normalization: {mean, std}, recipe, dataset,
//  testAccuracy (text, as in the file), trainerVersion, extra: {any other metadata}}
function lenetModelInfo() {
  const info = { extra: {} };
  const count = _lenet_model_fact_count();
  for (let i = 0; i < count; i++) {
    const name = lenetString(_lenet_model_fact_name(i));
    const value = lenetString(_lenet_model_fact_value(i));
    if (name.startsWith('extra.')) info.extra[name.slice(6)] = value;
    else info[name] = value;
  }
  info.parameters = Number(info.parameters);
  info.classes = Number(info.classes);
  info.normalization = { mean: Number(info.normalizationMean), std: Number(info.normalizationStd) };
  delete info.normalizationMean;
  delete info.normalizationStd;
  return info;
}

// Drawings as the flat arrays lenet_api.cpp's FlatDrawings reads. A point that is not a pair of
// numbers becomes NaN, which the core's check_drawing names in its sentence.
function lenetFlatDrawings(drawings) {
  const geometry = new Float32Array(3 * drawings.length);
  const strokeCounts = new Uint32Array(drawings.length);
  const pointCounts = [];
  const points = [];
  drawings.forEach((drawing, d) => {
    geometry[3 * d] = drawing.width;
    geometry[3 * d + 1] = drawing.height;
    geometry[3 * d + 2] = drawing.penWidth;
    strokeCounts[d] = drawing.strokes.length;
    for (const stroke of drawing.strokes) {
      const list = Array.isArray(stroke) ? stroke : [null];
      pointCounts.push(list.length);
      for (const point of list) {
        const pair = point && typeof point === 'object' ? point : [NaN, NaN];
        points.push(Number(pair[0]), Number(pair[1]));
      }
    }
  });
  return { geometry, strokeCounts, pointCounts: Uint32Array.from(pointCounts), points: Float32Array.from(points) };
}

// Copies typed arrays into wasm memory for the duration of `use(pointers)`.
function lenetWithArrays(arrays, use, pointers = []) {
  if (pointers.length === arrays.length) return use(pointers);
  const a = arrays[pointers.length];
  return lenetWithBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
                        (pointer) => lenetWithArrays(arrays, use, pointers.concat([pointer])));
}

// Calls exported(width, height, penWidth, points, pointCounts, strokeCount), lenet_classify's
// arguments, for one drawing; throws the core's sentence when it fails.
function lenetCallWithDrawing(exported, drawing) {
  const flat = lenetFlatDrawings([drawing]);
  lenetWithArrays([flat.points, flat.pointCounts], (p) => {
    if (exported(drawing.width, drawing.height, drawing.penWidth, p[0], p[1], flat.strokeCounts[0]) !== 0) lenetFail();
  });
}

Module['classify'] = function (drawing) {
  lenetCallWithDrawing(_lenet_classify, drawing);
  return lenetResult();
};

Module['checkDrawing'] = function (drawing) {
  lenetCallWithDrawing(_lenet_check_drawing, drawing);
};

// A 28x28 digit (784 floats, ink in [0, 1]): the network alone, no rasterisation or centring.
Module['classifyPixels'] = function (pixels) {
  const side = _lenet_result_input_side();
  if (pixels.length !== side * side) throw new Error(`classifyPixels needs ${side * side} pixels, got ${pixels.length}`);
  const data = pixels instanceof Float32Array ? pixels : Float32Array.from(pixels);
  lenetWithBytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), (pointer) => {
    if (_lenet_classify_pixels(pointer) !== 0) lenetFail();
  });
  return lenetResult();
};

function lenetResult() {
  const side = _lenet_result_input_side();
  const input = HEAPF32.slice(_lenet_result_input() >> 2, (_lenet_result_input() >> 2) + side * side);
  const empty = _lenet_result_empty() !== 0;
  const classes = _lenet_result_classes();
  const probabilities = empty ? null
    : HEAPF32.slice(_lenet_result_probabilities() >> 2, (_lenet_result_probabilities() >> 2) + classes);
  const plausible = _lenet_result_plausible() !== 0;
  return { empty, probabilities, plausible, input, milliseconds: _lenet_result_milliseconds() };
}

Module['featureMaps'] = function () {
  if (_lenet_feature_maps() !== 0) lenetFail();
  const maps = [];
  const count = _lenet_feature_map_count();
  for (let i = 0; i < count; i++) {
    const channels = _lenet_feature_map_dim(i, 0);
    const height = _lenet_feature_map_dim(i, 1);
    const width = _lenet_feature_map_dim(i, 2);
    const start = _lenet_feature_map_data(i) >> 2;
    maps.push({
      name: lenetString(_lenet_feature_map_name(i)),
      kind: lenetString(_lenet_feature_map_kind(i)),
      channels, height, width,
      data: HEAPF32.slice(start, start + channels * height * width),
    });
  }
  return maps;
};
