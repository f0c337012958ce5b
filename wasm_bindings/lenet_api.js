// Appended inside the Emscripten module factory (--post-js): turns the C exports of
// lenet_api.cpp into two JavaScript calls on the module object. Emscripten 3.1.6's JS optimizer
// mangles destructuring in for-of loops: write plain loops here.
//   module.loadModel(bytes, source) -> model info (arch, parameters, testAccuracy, ...);
//       throws an Error with the core's one-sentence message for a bad file.
//   module.classify({width, height, penWidth, strokes: [[[x, y], ...], ...]})
//       -> {empty, probabilities (Float32Array, null when empty), input (784 floats), milliseconds}
//   module.classifyPixels(784 floats) -> the same, for a digit that is already 28x28 (the network alone)
//   module.createFinetuner(examples, replay, options = {}) -> a Finetuner of the loaded model:
//       examples [{drawing, label}], replay {images, labels} (the bytes of two IDX files) or null,
//       options {seed, steps, examplesPerBatch, replayPerBatch, learningRate, anchor} (each
//       optional: the core's defaults otherwise, which lenet-train finetune uses too). A Finetuner has
//       .steps, .done, .step() -> {step, steps, loss} (one optimisation step), .modelBytes() ->
//       the fine-tuned model as .safetensors bytes (loadModel reads them), and .dispose().
//       Every failure throws an Error with the core's one sentence.

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

Module['classify'] = function (drawing) {
  const flat = lenetFlatDrawings([drawing]);
  lenetWithArrays([flat.points, flat.pointCounts], (p) => {
    if (_lenet_classify(drawing.width, drawing.height, drawing.penWidth, p[0], p[1], flat.strokeCounts[0]) !== 0) {
      lenetFail();
    }
  });
  return lenetResult();
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
  return { empty, probabilities, input, milliseconds: _lenet_result_milliseconds() };
}

// The examples' drawings and labels, checked only as far as the flat arrays need: the core
// checks the rest and says which example is wrong.
function lenetExamples(examples) {
  if (!Array.isArray(examples)) throw new Error('the examples must be a list of {drawing, label}');
  const labels = new Int32Array(examples.length);
  const drawings = examples.map((example, i) => {
    const drawing = example && example.drawing;
    if (!drawing || !Array.isArray(drawing.strokes)) {
      throw new Error(`example ${i} has no drawing {width, height, penWidth, strokes}`);
    }
    const label = example.label;
    if (!Number.isInteger(label) || label < 0 || label > 2147483647) {
      throw new Error(`example ${i}: label ${JSON.stringify(label)} is not a digit 0-9`);
    }
    labels[i] = label;
    return drawing;
  });
  return { labels, flat: lenetFlatDrawings(drawings) };
}

function lenetReplayBytes(replay, name) {
  const bytes = replay[name];
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) {
    throw new Error(`replay.${name} must be the bytes of an IDX file (a Uint8Array)`);
  }
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

function LenetFinetuner(handle) {
  this.handle = handle;
}

LenetFinetuner.prototype.live = function () {
  if (this.handle === 0) throw new Error('this fine-tuner has been disposed');
  return this.handle;
};

Object.defineProperty(LenetFinetuner.prototype, 'steps', {
  get() { return _lenet_finetune_steps(this.live()); },
});
Object.defineProperty(LenetFinetuner.prototype, 'done', {
  get() { return _lenet_finetune_steps_done(this.live()) >= _lenet_finetune_steps(this.live()); },
});

LenetFinetuner.prototype.step = function () {
  const handle = this.live();
  if (_lenet_finetune_step(handle) !== 0) lenetFail();
  return { step: _lenet_finetune_steps_done(handle), steps: _lenet_finetune_steps(handle),
           loss: _lenet_finetune_loss(handle) };
};

LenetFinetuner.prototype.modelBytes = function () {
  const handle = this.live();
  if (_lenet_finetune_model(handle) !== 0) lenetFail();
  const data = _lenet_finetune_model_data(handle);
  return HEAPU8.slice(data, data + _lenet_finetune_model_size(handle));
};

LenetFinetuner.prototype.dispose = function () {
  if (this.handle !== 0) _lenet_finetune_free(this.handle);
  this.handle = 0;
};

// The options lenet_finetune_create takes, in its order, with the values each may have; an option
// left out keeps the core's default (NaN).
const LENET_FINETUNE_OPTIONS = [
  ['seed', 0, Number.MAX_SAFE_INTEGER, true], ['steps', 1, 100000, true], ['examplesPerBatch', 1, 1024, true],
  ['replayPerBatch', 0, 1024, true], ['learningRate', 0, 1, false], ['anchor', 0, 1e6, false],
];

function lenetFinetuneOptions(options) {
  return Float64Array.from(LENET_FINETUNE_OPTIONS, ([name, min, max, whole]) => {
    const value = options[name];
    if (value === undefined) return NaN;
    if (typeof value !== 'number' || !(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
      throw new Error(`options.${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, ` +
                      `not ${JSON.stringify(value)}`);
    }
    return value;
  });
}

Module['createFinetuner'] = function (examples, replay, options = {}) {
  const { labels, flat } = lenetExamples(examples);
  const images = replay ? lenetReplayBytes(replay, 'images') : new Uint8Array(0);
  const replayLabels = replay ? lenetReplayBytes(replay, 'labels') : new Uint8Array(0);
  const settings = lenetFinetuneOptions(options || {});
  const handle = lenetWithArrays(
    [labels, flat.geometry, flat.strokeCounts, flat.pointCounts, flat.points, images, replayLabels, settings],
    (p) => _lenet_finetune_create(examples.length, p[0], p[1], p[2], p[3], p[4], p[5], images.length, p[6],
                                  replayLabels.length, p[7]));
  if (handle === 0) lenetFail();
  return new LenetFinetuner(handle);
};
