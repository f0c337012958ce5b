// Appended after lenet_api.js inside the Worker's module (lenet-learn.mjs, --post-js): turns the
// C exports of finetune_api.cpp into one call on the module object (plain loops, as lenet_api.js).
//   module.createFinetuner(examples, replay, options = {}) -> a Finetuner of the loaded model:
//       examples [{drawing, label}], replay {images, labels} (the bytes of two IDX files) or null,
//       options {seed, steps, examplesPerBatch, replayPerBatch, learningRate, anchor} (each
//       optional: the core's defaults otherwise, which lenet-train finetune uses too). A Finetuner
//       has .steps, .done, .step() -> {step, steps, loss} (one optimisation step), .modelBytes() ->
//       the fine-tuned model as .safetensors bytes (loadModel reads them), and .dispose().
//       Every failure throws an Error with the core's one sentence.

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
