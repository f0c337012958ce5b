// Wires the page together: loads the engine and the default model, classifies the drawing at most
// once per animation frame while it changes, and handles the buttons and keyboard shortcuts.
// State for tests and styling: document.body.dataset.state = loading | ready | error,
// document.body.dataset.engine = simd | scalar.

import { DrawingPad } from './drawing_pad.js';
import { defaultModel, engineLoad, modelList } from './boot.js';
import { ENGINE_NAMES, loadModelInto } from './engine.js';
import { fetchModelBytes } from './models.js';
import { showEngine, showInferenceTime, showModelInfo } from './model_info_view.js';
import { ResultsView } from './results_view.js';
import { saveDrawing } from './save_drawing.js';

const $ = (id) => document.getElementById(id);
const body = document.body;

let engine = null;  // the wasm module, once loaded
let shipped = null;  // the selected shipped model: { bytes, source }
let teaching = null;  // teach.js, once the engine is there
let results = new ResultsView();
let framePending = false;
let announceNext = false;

const pad = new DrawingPad($('pad'), (reason) => {
  if (reason !== 'draw') announceNext = true;
  scheduleFrame();
});

function scheduleFrame() {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(() => {
    framePending = false;
    pad.render();
    classifyNow();
  });
}

function classifyNow() {
  const empty = pad.isEmpty;
  $('pad-hint').hidden = !empty;
  teaching?.padChanged();
  for (const id of ['undo', 'clear', 'save']) {
    if (empty && document.activeElement === $(id)) $('pad').focus({ preventScroll: true });  // disabling would drop the focus to the page
    $(id).disabled = empty;
  }
  if (!engine) return;
  let result = null;
  if (!empty) {
    try {
      result = engine.classify(pad.toDrawing());
    } catch (error) {
      showError(`Could not classify the drawing: ${error.message}`);
      return;
    }
  }
  results.show(result);
  layerView?.update(result);
  showInferenceTime(result && !result.empty ? result.milliseconds : null);
  if (announceNext) {
    results.announce();
    announceNext = false;
  }
}

function setState(state) {
  body.dataset.state = state;
  $('status').setAttribute('aria-busy', String(state === 'loading'));
}

// retry: offer a button that loads the page again (what failed to download may be there now).
function showError(message, { retry = false } = {}) {
  $('error-text').textContent = message;
  $('retry').hidden = !retry;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

// Reads digits with a shipped model from now on. loading: the model already on its way into the
// engine (the default one, which boot.js starts with the page); otherwise it is downloaded now.
async function useModel(model, loading = null) {
  const { bytes, source, info } = await (loading ?? fetchModelBytes(model).then(
    ({ bytes, source }) => ({ bytes, source, info: loadModelInto(engine, bytes, source) })));
  showModel(info);
  shipped = { bytes, source };
}

// Reads digits with the model in bytes from now on (a person's own, from teach.js).
function applyModel(bytes, source) {
  showModel(loadModelInto(engine, bytes, source));
}

function showModel(info) {
  results = new ResultsView(info.classes);
  showModelInfo(info);
  scheduleFrame();
}

// The default model, or where its file is damaged or missing, the next listed one that loads: the
// page keeps reading digits, and says in one sentence which file failed. Resolves to the index of
// the model in use; rejects with the default's error when none loads.
async function useFirstLoadableModel(models) {
  let firstError = null;
  for (const [i, model] of models.entries()) {
    try {
      await useModel(model, i === 0 ? defaultModel : null);
      if (firstError) showError(`${firstError.message} Reading digits with ${model.label} instead.`);
      return i;
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

function offerModelChoice(models, current) {
  if (models.length < 2) return;
  const select = $('model-select');
  for (const [i, model] of models.entries()) select.add(new Option(model.label, String(i)));
  select.value = String(current);
  $('model-switch').hidden = false;
  select.addEventListener('change', async () => {
    setState('loading');
    hideError();
    try {
      await useModel(models[Number(select.value)]);
      current = Number(select.value);
      teaching?.shippedModelChanged();
    } catch (error) {
      showError(error.message);  // the previous model stays loaded
      select.value = String(current);
    }
    setState('ready');
  });
}

// A button that empties the pad is disabled at once; the keyboard's focus goes back to the pad
// instead of falling to the top of the page.
function keepFocusNearby(button) {
  if (document.activeElement === button && pad.isEmpty) $('pad').focus({ preventScroll: true });
}

function bindControls() {
  $('undo').addEventListener('click', () => { pad.undo(); keepFocusNearby($('undo')); });
  $('clear').addEventListener('click', () => { pad.clear(); keepFocusNearby($('clear')); });
  $('retry').addEventListener('click', () => location.reload());
  $('save').addEventListener('click', () => {
    if (!pad.isEmpty) saveDrawing(pad.toDrawing(), $('prediction').textContent);
  });
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLSelectElement) return;
    if (event.key === 'Escape') {
      pad.clear();
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      pad.undo();
    }
  });
}

// "Show what each layer sees" (js/feature_maps_view.js) loads the first time it opens, never
// before the first prediction; each opening classifies again, to show the drawing on the pad now.
let layerView = null;
let layerViewLoading = null;
$('layers').addEventListener('toggle', () => {
  if (!$('layers').open) return;
  layerViewLoading ??= import('./feature_maps_view.js').then(({ FeatureMapsView }) => {
    layerView = new FeatureMapsView($('layers'), () => engine);
  }).catch((error) => showError(`Could not show what each layer sees: ${error.message}`));
  layerViewLoading.then(scheduleFrame);
});

// Offline use and installing (js/offline.js) download the rest of the page, the manifest and
// an icon: only a second after the first stroke (or 3 s after it is ready), never before the first
// prediction. The worker that served this page, if any, is noted now, before it can be replaced.
const loadedByWorker = navigator.serviceWorker?.controller ?? null;
// A reload that lands while offline.js downloads aborts the import (Firefox then rejects it): the
// page being left says nothing, and a page that stays tries once more (under another URL: an
// engine may keep a failed module fetch for the page's lifetime) before it gives up.
function setUpOfflineLater() {
  let started = false;
  let leaving = false;
  addEventListener('pagehide', () => { leaving = true; }, { once: true });
  const load = (triesLeft) => import(triesLeft > 0 ? './offline.js' : './offline.js?retry')
    .then((offline) => offline.setUpOffline(loadedByWorker))
    .catch((error) => {
      if (leaving) return;
      if (triesLeft > 0) setTimeout(() => load(triesLeft - 1), 2000);
      else console.warn(`Offline use is unavailable: ${error.message}`);
    });
  const start = () => {
    if (started) return;
    started = true;
    load(1);
  };
  addEventListener('pointerup', () => setTimeout(start, 1000), { once: true, capture: true });
  setTimeout(start, 3000);
}

async function start() {
  performance.mark('lenet:main-started');
  bindControls();
  scheduleFrame();
  setState('loading');
  try {
    const [loaded, models] = await Promise.all([engineLoad, modelList]);  // started by boot.js
    engine = loaded.module;
    body.dataset.engine = loaded.kind;
    showEngine(ENGINE_NAMES[loaded.kind]);
    offerModelChoice(models, await useFirstLoadableModel(models));
    setState('ready');
    performance.mark('lenet:ready');
    setUpOfflineLater();
  } catch (error) {
    engine = null;
    showError(error.message, { retry: true });
    results.showUnavailable();
    $('status-text').textContent = '';
    setState('error');
    return;
  }
  await startTeaching(body.dataset.engine);
}

// Teaching the page a person's handwriting (teach.js) loads after the first model, so that the
// first prediction never waits for it; where it cannot load, the page reads digits all the same.
async function startTeaching(kind) {
  try {
    const { setUpTeaching } = await import('./teach.js');
    teaching = await setUpTeaching({ pad, kind, shippedModel: () => shipped, applyModel,
                                     checkDrawing: (drawing) => engine.checkDrawing(drawing) });
  } catch (error) {
    showError(`Teaching the page your handwriting is not available here (${error.message}).`);
  }
}

start();
