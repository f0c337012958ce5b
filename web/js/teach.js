// Teaching the page a person's handwriting: corrected drawings kept as examples ("Wrong? It is:"
// and Shift+digit on the pad), "Learn my handwriting" in a Worker (learner.js), the personal
// model it makes (used at once, kept across reloads), switching back, forgetting, downloads.
// The logic: what it shows and the DOM are teach_view.js's, which also writes this state for
// tests: document.body.dataset.learning = idle | running | done | error and
// document.body.dataset.model = shipped | personal (set once the stored data is back).
//
// Learning always starts from the shipped model the page has selected (never from an earlier
// personal model), so a person's model is the one `lenet-train finetune --model SHIPPED
// --drawings my-examples.json` makes natively from the same examples.

import { startLearning } from './learner.js';
import * as store from './personal_store.js';
import { downloadFile, saveDrawing } from './save_drawing.js';
import * as view from './teach_view.js';

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
  #personal = null;  // the stored personal model's record: { bytes, examples, seconds, from, active: in use }
  #run = null;       // the learning run in progress: { cancel }
  #learning = 'idle';  // how the last run went: idle (none, or cancelled) | running | done | error
  #restored = false;   // the stored examples and model are back

  constructor(page) {
    this.#page = page;
    view.showTeachControls({
      teach: (digit) => this.teach(digit),
      learn: () => this.learn(),
      cancel: () => this.cancel(),
      useOriginal: () => this.#usePersonal(false),
      usePersonal: () => this.#usePersonal(true),
      forget: () => this.forget(),
      downloadModel: () => this.#downloadModel(),
      downloadExamples: () => this.#downloadExamples(),
    });
    this.#refresh();
  }

  get #personalInUse() {
    return Boolean(this.#personal?.active);
  }

  // The examples and the personal model kept from an earlier visit; whatever of them is damaged is
  // said in one sentence and left out (the page then reads digits with the shipped model).
  async restore() {
    const problems = [await this.#restoreExamples(), await this.#restorePersonalModel()].filter(Boolean);
    view.showTeachMessage(problems.length > 0 ? problems.join(' ') : null);
    this.#restored = true;
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
    return null;
  }

  // The pad changed (main.js): the digit buttons follow whether there is a drawing to keep.
  padChanged() {
    view.enableTeachButtons(!this.#page.pad.isEmpty);
  }

  // The page switched to another shipped model: the personal one is no longer in use.
  shippedModelChanged() {
    if (!this.#personalInUse) return;
    this.#personal.active = false;
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
    view.announce(`Kept as a ${digit}: ${view.examplesText(count)} of ${digit}.`);
  }

  async #remove(id, index) {
    this.#examples = this.#examples.filter((e) => e.id !== id);
    if (typeof id === 'number') await store.removeExample(id).catch((error) => view.showTeachMessage(error.message));
    this.#refresh();
    view.focusRemoveButton(index);
    view.announce(`Example ${index + 1} removed.`);
  }

  learn() {
    if (this.#run || this.#examples.length === 0) return;
    const examples = this.#examples.map(({ label, drawing }) => ({ label, drawing }));
    const shipped = this.#page.shippedModel();
    view.showTeachMessage(null);
    view.showProgress({ step: 0, steps: 1, loss: NaN });
    this.#learning = 'running';
    // The core's defaults (seed, steps, batch) unless a test asks for fewer steps: the same as
    // `lenet-train finetune`'s, so both make the same model from the same examples.
    const options = learnOptionsFromQuery();
    const run = startLearning({ kind: this.#page.kind, model: shipped, examples, options }, view.showProgress);
    this.#run = run;
    this.#refresh();
    view.focus('cancel');
    // A cancelled run resolves to null, and cancel() has already put everything back.
    run.result.then(
      (done) => { if (done) this.#learned(done, examples.length, shipped.source); },
      (error) => this.#failed(error.message));
  }

  cancel() {
    if (!this.#run) return;
    this.#run.cancel();
    this.#run = null;
    this.#learning = 'idle';
    this.#refresh();
    view.focus('learn');
    view.announce('Learning cancelled; the model is as it was.');
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
    this.#learning = 'done';
    this.#refresh();
    if (view.hasFocus('cancel')) view.focus('useOriginal');  // Cancel is gone
    view.announce(view.personalModelText(this.#personal, true));
    await store.savePersonalModel(this.#personal).catch((error) =>
      view.showTeachMessage(`${error.message.replace(/\.$/, '')}; the personal model is used until you leave the page.`));
  }

  #failed(message) {
    this.#run = null;
    this.#learning = 'error';
    this.#refresh();
    view.showTeachMessage(message);
    if (view.hasFocus('cancel')) view.focus('learn');  // Cancel is gone
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
    this.#personal.active = use;
    this.#refresh();
    view.focus(use ? 'useOriginal' : 'usePersonal');  // the button pressed is hidden now
    view.announce(view.personalModelText(this.#personal, use));
    await store.setPersonalModelActive(use).catch((error) => view.showTeachMessage(error.message));
  }

  // Deletes the examples and the model learned from them; the page reads with the shipped model.
  async forget() {
    this.cancel();
    if (this.#personalInUse) await this.#usePersonal(false);
    this.#examples = [];
    this.#personal = null;
    this.#learning = 'idle';
    this.#refresh();
    view.focus('pad');  // Forget is disabled now
    view.announce('Your examples and personal model are forgotten.');
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

  #refresh() {
    view.enableTeachButtons(!this.#page.pad.isEmpty);
    view.showExamples(this.#examples, {
      remove: (id, index) => this.#remove(id, index),
      save: ({ drawing, label }) => saveDrawing(drawing, null, label),
    });
    view.showLearning(this.#run !== null, this.#examples.length > 0);
    view.showPersonalModel(this.#personal, this.#personalInUse);
    view.enableForget(this.#examples.length > 0 || this.#personal !== null);
    view.showStateForTests({
      learning: this.#learning,
      model: this.#restored ? (this.#personalInUse ? 'personal' : 'shipped') : null,
    });
  }
}

// ?learn-steps=N (tests and benchmarks): fewer or more optimisation steps than the default.
function learnOptionsFromQuery() {
  const steps = Number.parseInt(new URLSearchParams(location.search).get('learn-steps'), 10);
  return Number.isInteger(steps) && steps > 0 ? { steps } : {};
}
