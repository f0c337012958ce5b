// Teaching the page a person's handwriting: corrected drawings kept as examples ("Wrong? It is:"
// and Shift+digit on the pad), "Learn my handwriting" in a Worker (learner.js), the personal
// model it makes (used at once, kept across reloads), switching back, forgetting, downloads.
// State for tests: document.body.dataset.learning = idle | running | done | error and
// document.body.dataset.model = shipped | personal (set once the stored data is back).
//
// Learning always starts from the shipped model the page has selected (never from an earlier
// personal model), so a person's model is the one `lenet-train finetune --model SHIPPED
// --drawings my-examples.json` makes natively from the same examples.

import { startLearning } from './learner.js';
import * as store from './personal_store.js';
import { downloadFile, saveDrawing } from './save_drawing.js';
import * as view from './teach_view.js';

const $ = (id) => document.getElementById(id);
const body = document.body;
const PERSONAL_SOURCE = 'your personal model';

// page: { pad, kind (the engine's 'simd' | 'scalar'), shippedModel() -> { bytes, source } of the
// selected shipped model, applyModel(bytes, source) (loads it into the page's engine, throws one
// sentence), checkDrawing(drawing) (the engine's: throws the core's sentence for a drawing it
// would not learn from) }. Resolves once the stored examples and personal model are back.
export async function setUpTeaching(page) {
  const teaching = new Teaching(page);
  await teaching.restore();
  return teaching;
}

class Teaching {
  #page;
  #examples = [];
  #personal = null;  // the stored personal model's record: { bytes, examples, seconds, from, active }
  #run = null;       // the learning run in progress: { cancel }

  constructor(page) {
    this.#page = page;
    view.buildTeachButtons((digit) => this.teach(digit));
    $('pad').addEventListener('keydown', (event) => this.#onPadKey(event));
    $('learn').addEventListener('click', () => this.learn());
    $('cancel-learning').addEventListener('click', () => this.cancel());
    $('use-original').addEventListener('click', () => this.#usePersonal(false));
    $('use-personal').addEventListener('click', () => this.#usePersonal(true));
    $('forget').addEventListener('click', () => this.forget());
    $('download-model').addEventListener('click', () => this.#downloadModel());
    $('download-examples').addEventListener('click', () => this.#downloadExamples());
    $('teach-card').hidden = $('teach-row').hidden = false;
    body.dataset.learning = 'idle';
    this.#refresh();
  }

  // The examples and the personal model kept from an earlier visit; whatever of them is damaged is
  // said in one sentence and left out (the page then reads digits with the shipped model).
  async restore() {
    const problems = [await this.#restoreExamples(), await this.#restorePersonalModel()].filter(Boolean);
    view.showTeachMessage(problems.length > 0 ? problems.join(' ') : null);
    this.#refresh();
  }

  // Resolves to a sentence about what could not be restored, or null.
  async #restoreExamples() {
    try {
      const { examples, dropped } = await store.loadExamples(this.#page.checkDrawing);
      this.#examples = examples;
      if (dropped === 0) return null;
      return `${view.examplesText(dropped)} kept in this browser could not be read and ${dropped === 1 ? 'was' : 'were'} left out.`;
    } catch (error) {
      return error.message;
    }
  }

  async #restorePersonalModel() {
    body.dataset.model = 'shipped';
    let record;
    try {
      record = await store.loadPersonalModel();
    } catch (error) {
      return error.message;
    }
    if (!record) return null;
    try {
      if (record.damaged) throw new Error('it is not a model record');
      if (record.active) this.#page.applyModel(record.bytes, PERSONAL_SOURCE);
    } catch (error) {
      await store.deletePersonalModel().catch(() => {});  // it would fail the same way next time
      return `Your saved personal model could not be read (${error.message.replace(/\.$/, '')}), so the page reads digits with the shipped model.`;
    }
    this.#personal = record;
    if (record.active) body.dataset.model = 'personal';
    return null;
  }

  // The pad changed (main.js): the digit buttons follow whether there is a drawing to keep.
  padChanged() {
    view.enableTeachButtons(!this.#page.pad.isEmpty);
  }

  // The page switched to another shipped model: the personal one is no longer in use.
  shippedModelChanged() {
    if (body.dataset.model !== 'personal') return;
    body.dataset.model = 'shipped';
    store.setPersonalModelActive(false).catch((error) => view.showTeachMessage(error.message));
    this.#refresh();
  }

  async teach(digit) {
    const { pad } = this.#page;
    if (pad.isEmpty) return;
    const drawing = pad.toDrawing();
    pad.clear();
    let id;
    try {
      id = await store.addExample(digit, drawing);
    } catch (error) {
      view.showTeachMessage(`${error.message.replace(/\.$/, '')}; the example is kept until you leave the page.`);
      id = `unsaved-${performance.now()}`;
    }
    this.#examples.push({ id, label: digit, drawing });
    this.#refresh();
    const count = this.#examples.filter((e) => e.label === digit).length;
    this.#announce(`Kept as a ${digit}: ${view.examplesText(count)} of ${digit}.`);
  }

  async #remove(id, index) {
    this.#examples = this.#examples.filter((e) => e.id !== id);
    if (typeof id === 'number') await store.removeExample(id).catch((error) => view.showTeachMessage(error.message));
    this.#refresh();
    // The focus goes to the next example's remove button (or the pad), not to the top of the page.
    const buttons = document.querySelectorAll('[data-testid="remove-example"]');
    (buttons[Math.min(index, buttons.length - 1)] ?? $('pad')).focus();
    this.#announce(`Example ${index + 1} removed.`);
  }

  learn() {
    if (this.#run || this.#examples.length === 0) return;
    const examples = this.#examples.map(({ label, drawing }) => ({ label, drawing }));
    const shipped = this.#page.shippedModel();
    view.showTeachMessage(null);
    view.showProgress({ step: 0, steps: 1, loss: NaN });
    body.dataset.learning = 'running';
    // The core's defaults (seed, steps, batch) unless a test asks for fewer steps: the same as
    // `lenet-train finetune`'s, so both make the same model from the same examples.
    const options = learnOptionsFromQuery();
    const run = startLearning({ kind: this.#page.kind, model: shipped, examples, options }, view.showProgress);
    this.#run = run;
    this.#refresh();
    $('cancel-learning').focus();
    // A cancelled run resolves to null, and cancel() has already put everything back.
    run.result.then(
      (done) => { if (done) this.#learned(done, examples.length, shipped.source); },
      (error) => this.#failed(error.message));
  }

  cancel() {
    if (!this.#run) return;
    this.#run.cancel();
    this.#run = null;
    body.dataset.learning = 'idle';
    this.#refresh();
    $('learn').focus();
    this.#announce('Learning cancelled; the model is as it was.');
  }

  async #learned({ bytes, seconds }, examples, from) {
    this.#run = null;
    try {
      this.#page.applyModel(bytes, PERSONAL_SOURCE);
    } catch (error) {
      this.#failed(`The personal model could not be loaded (${error.message.replace(/\.$/, '')}), so the page keeps the model it had.`);
      return;
    }
    this.#personal = { bytes, examples, seconds, from, active: true };
    body.dataset.model = 'personal';
    body.dataset.learning = 'done';
    this.#refresh();
    if (document.activeElement === $('cancel-learning')) $('use-original').focus();  // Cancel is gone
    this.#announce($('personal-status').textContent);
    await store.savePersonalModel(this.#personal).catch((error) =>
      view.showTeachMessage(`${error.message.replace(/\.$/, '')}; the personal model is used until you leave the page.`));
  }

  #failed(message) {
    this.#run = null;
    this.#refresh();
    body.dataset.learning = 'error';
    view.showTeachMessage(message);
    if (document.activeElement === $('cancel-learning')) $('learn').focus();  // Cancel is gone
  }

  // Switches between the personal model and the selected shipped one.
  async #usePersonal(use) {
    if (!this.#personal) return;
    try {
      if (use) this.#page.applyModel(this.#personal.bytes, PERSONAL_SOURCE);
      else this.#page.applyModel(this.#page.shippedModel().bytes, this.#page.shippedModel().source);
    } catch (error) {
      view.showTeachMessage(error.message);
      return;
    }
    body.dataset.model = use ? 'personal' : 'shipped';
    this.#personal.active = use;
    this.#refresh();
    $(use ? 'use-original' : 'use-personal').focus();
    this.#announce($('personal-status').textContent);
    await store.setPersonalModelActive(use).catch((error) => view.showTeachMessage(error.message));
  }

  // Deletes the examples and the model learned from them; the page reads with the shipped model.
  async forget() {
    this.cancel();
    if (body.dataset.model === 'personal') await this.#usePersonal(false);
    this.#examples = [];
    this.#personal = null;
    body.dataset.learning = 'idle';
    this.#refresh();
    $('pad').focus();  // Forget is disabled now
    this.#announce('Your examples and personal model are forgotten.');
    try {
      await store.forgetExamples();
      await store.deletePersonalModel();
    } catch (error) {
      view.showTeachMessage(error.message);
    }
  }

  #downloadModel() {
    if (this.#personal) downloadFile(new Blob([this.#personal.bytes], { type: 'application/octet-stream' }), 'lenet-personal.safetensors');
  }

  // A JSON list of labelled drawings: the page's drawing format plus "label", which
  // `lenet-train finetune --drawings` and `eval-drawings` read.
  #downloadExamples() {
    const list = this.#examples.map(({ label, drawing }) => ({ ...drawing, label }));
    downloadFile(new Blob([JSON.stringify(list) + '\n'], { type: 'application/json' }), 'lenet-examples.json');
  }

  #onPadKey(event) {
    const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
    if (!digit || !event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    this.teach(Number(digit[1]));
  }

  #announce(sentence) {
    $('teach-announce').textContent = sentence;
  }

  #refresh() {
    view.enableTeachButtons(!this.#page.pad.isEmpty);
    view.showExamples(this.#examples, {
      remove: (id, index) => this.#remove(id, index),
      save: ({ drawing, label }) => saveDrawing(drawing, null, label),
    });
    view.showLearning(this.#run !== null, this.#examples.length > 0);
    view.showPersonalModel(this.#personal, body.dataset.model === 'personal');
    $('forget').disabled = this.#examples.length === 0 && !this.#personal;
    $('download-examples').disabled = this.#examples.length === 0;
  }
}

// ?learn-steps=N (tests and benchmarks): fewer or more optimisation steps than the default.
function learnOptionsFromQuery() {
  const steps = Number.parseInt(new URLSearchParams(location.search).get('learn-steps'), 10);
  return Number.isInteger(steps) && steps > 0 ? { steps } : {};
}
