// The teaching controls as the person sees them: the ten "It is:" buttons with how many examples
// each digit has, the gallery of kept examples (each removable), the learning progress and the
// sentences about the personal model, where the focus goes, and the test hooks on <body>. The only
// file of teaching that touches the page's DOM; no state of its own beyond it: teach.js decides.

import { paintStrokes } from './drawing_pad.js';

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
export const examplesText = (n) => plural(n, 'example');

// Shows the teaching card and the "It is:" row, and calls actions.teach(digit) (a digit button, or
// Shift+digit on the pad), .learn(), .cancel(), .useOriginal(), .usePersonal(), .forget(),
// .downloadModel() and .downloadExamples() when their control is used.
export function showTeachControls(actions) {
  buildTeachButtons(actions.teach);
  $('pad').addEventListener('keydown', (event) => {
    const digit = shiftDigit(event);
    if (digit === null) return;
    event.preventDefault();
    actions.teach(digit);
  });
  const buttons = {
    'learn': actions.learn, 'cancel-learning': actions.cancel, 'use-original': actions.useOriginal,
    'use-personal': actions.usePersonal, 'forget': actions.forget, 'download-model': actions.downloadModel,
    'download-examples': actions.downloadExamples,
  };
  for (const [id, action] of Object.entries(buttons)) $(id).addEventListener('click', () => action());
  $('teach-card').hidden = $('teach-row').hidden = false;
}

// The digit of Shift+digit (top row or keypad, no other modifier), else null.
function shiftDigit(event) {
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
  if (!digit || !event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return null;
  return Number(digit[1]);
}

function buildTeachButtons(onTeach) {
  const row = $('teach-digits');
  for (let digit = 0; digit <= 9; digit++) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'teach-digit';
    button.dataset.testid = `teach-${digit}`;
    button.setAttribute('aria-keyshortcuts', `Shift+${digit}`);
    button.innerHTML = `<span class="teach-digit-label">${digit}</span><span class="teach-digit-count" aria-hidden="true"></span>`;
    button.addEventListener('click', () => onTeach(digit));
    row.append(button);
  }
}

// With nothing on the pad there is nothing to keep.
export function enableTeachButtons(enabled) {
  for (const button of document.querySelectorAll('.teach-digit')) button.disabled = !enabled;
}

// examples: [{ id, label, drawing }]; actions.remove(id, index) and actions.save(example) when
// one's remove button or its thumbnail (a labelled "Save drawing") is pressed.
export function showExamples(examples, actions) {
  const counts = Array(10).fill(0);
  for (const e of examples) counts[e.label]++;
  document.querySelectorAll('.teach-digit').forEach((button, digit) => {
    button.querySelector('.teach-digit-count').textContent = counts[digit] > 0 ? String(counts[digit]) : '';
    button.setAttribute('aria-label', `It is ${digit} (${examplesText(counts[digit])} kept)`);
    button.title = `Keep the drawing as a ${digit} (Shift+${digit} on the pad)`;
  });
  $('examples-count').textContent = String(examples.length);
  $('examples-noun').textContent = examples.length === 1 ? 'example' : 'examples';
  const gallery = $('gallery');
  gallery.replaceChildren(...examples.map((e, i) => galleryItem(e, i, actions)));
  gallery.hidden = examples.length === 0;
  $('download-examples').disabled = examples.length === 0;
}

// After example `index` is removed the focus goes to the remove button now there (the last one,
// or the pad when none is left), not to the top of the page.
export function focusRemoveButton(index) {
  const buttons = document.querySelectorAll('[data-testid="remove-example"]');
  (buttons[Math.min(index, buttons.length - 1)] ?? $('pad')).focus();
}

function galleryItem(example, index, actions) {
  const item = document.createElement('li');
  item.className = 'example';
  item.dataset.testid = 'example';
  const save = document.createElement('button');
  save.type = 'button';
  save.className = 'example-save';
  save.dataset.testid = 'save-example';
  save.title = 'Save this drawing as JSON, with the digit you meant';
  save.setAttribute('aria-label', `Example ${index + 1}: a ${example.label}. Save it as JSON`);
  save.addEventListener('click', () => actions.save(example));
  const thumbnail = document.createElement('canvas');
  thumbnail.width = thumbnail.height = 96;  // drawn at 2x its 48 px on screen
  paintThumbnail(thumbnail, example.drawing);
  save.append(thumbnail);
  const label = document.createElement('span');
  label.className = 'example-label';
  label.textContent = String(example.label);
  label.setAttribute('aria-hidden', 'true');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'example-remove';
  remove.dataset.testid = 'remove-example';
  remove.textContent = '×';
  remove.setAttribute('aria-label', `Remove example ${index + 1} (a ${example.label})`);
  remove.addEventListener('click', () => actions.remove(example.id, index));
  item.append(save, label, remove);
  return item;
}

// White ink on black in both themes, as the preview of what the network sees.
function paintThumbnail(canvas, drawing) {
  const ctx = canvas.getContext('2d');
  const scale = canvas.width / Math.max(drawing.width, drawing.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.strokeStyle = ctx.fillStyle = '#fff';
  paintStrokes(ctx, drawing.strokes, drawing.penWidth);
}

// The progress bar and its line: "Step 12 of 60 · loss 0.412".
export function showProgress({ step, steps, loss }) {
  const bar = $('learn-bar');
  bar.max = steps;
  bar.value = step;
  const text = step === 0 ? 'Starting…' : `Step ${step} of ${steps} · loss ${Number(loss).toFixed(3)}`;
  bar.setAttribute('aria-valuetext', text);
  $('learn-step').textContent = text;
}

// running: the progress and Cancel instead of Learn. canLearn: there are examples.
export function showLearning(running, canLearn) {
  $('learn-progress').hidden = !running;
  $('cancel-learning').hidden = !running;
  $('learn').hidden = running;
  $('learn').disabled = !canLearn;
}

// personal: { examples, seconds } of the stored personal model or null; active: the page reads
// digits with it. The sentence of the personal model's status line.
export function personalModelText(personal, active) {
  if (!personal) return 'Reading digits with the shipped model.';
  return active
    ? `Personal model: ${examplesText(personal.examples)}, learned in ${personal.seconds.toFixed(1)} s.`
    : `Reading digits with the shipped model; your personal model (${examplesText(personal.examples)}) is kept.`;
}

export function showPersonalModel(personal, active) {
  $('personal-status').textContent = personalModelText(personal, active);
  $('use-original').hidden = !personal || !active;
  $('use-personal').hidden = !personal || active;
  $('download-model').disabled = !personal;
}

// Forgetting needs something to forget: examples or a personal model.
export function enableForget(enabled) {
  $('forget').disabled = !enabled;
}

// One sentence about learning or the stored data; null hides it.
export function showTeachMessage(message) {
  $('teach-error').textContent = message ?? '';
  $('teach-error').hidden = !message;
}

// For the screen reader: what just happened, in one sentence.
export function announce(sentence) {
  $('teach-announce').textContent = sentence;
}

// The controls teach.js hands the focus to, so that a pressed button that hides or disables
// itself does not drop it to the top of the page.
const FOCUS_TARGETS = { pad: 'pad', learn: 'learn', cancel: 'cancel-learning', useOriginal: 'use-original', usePersonal: 'use-personal' };

export function focus(control) {
  $(FOCUS_TARGETS[control]).focus();
}

export function hasFocus(control) {
  return document.activeElement === $(FOCUS_TARGETS[control]);
}

// The test hooks of web/README.md, written here and never read back (the state is teach.js's):
// document.body.dataset.learning, and .model once known (model null leaves it unset).
export function showStateForTests({ learning, model }) {
  document.body.dataset.learning = learning;
  if (model !== null) document.body.dataset.model = model;
}
