// The models that ship with the page, listed in models/models.json (the first one is the
// default). Adding a model is one line there plus its .safetensors file in models/.

import { download } from './download.js';
import { takeEarly } from './early.js';

const MODELS_DIR = new URL('../models/', import.meta.url);

// Resolves to [{ file, label }, ...] with at least one entry.
export async function fetchModelList() {
  const url = new URL('models.json', MODELS_DIR);
  const list = ((await takeEarly(url)) ?? (await fetchListJson(url)))?.models;
  if (!Array.isArray(list) || list.length === 0 || !list.every((m) => typeof m?.file === 'string'))
    throw new Error(`The list of models ${url.pathname} must be {"models": [{"file", "label"}, ...]} with at least one model.`);
  return list.map((m) => ({ file: m.file, label: typeof m.label === 'string' ? m.label : m.file }));
}

// Resolves to { bytes, source } where source names the file in the core's error messages.
export async function fetchModelBytes(model) {
  const url = new URL(model.file, MODELS_DIR);
  const bytes = (await takeEarly(url)) ?? (await (await download(url, 'the model')).arrayBuffer());
  return { bytes: new Uint8Array(bytes), source: `models/${model.file}` };
}

async function fetchListJson(url) {
  const response = await download(url, 'the list of models');
  try {
    return await response.json();
  } catch {
    throw new Error(`The list of models ${url.pathname} is not valid JSON.`);
  }
}
