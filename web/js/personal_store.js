// What the page keeps of a person on their own device, in IndexedDB (never sent anywhere):
//   examples  their corrected drawings, { id, label, drawing } (drawing: the pad's format)
//   model     the personal model they taught, one record { bytes, examples, seconds, from, active }
// Each call opens the database, does one transaction and closes it: the page makes few of them,
// and a database that another tab upgrades is never held open.

const DB_NAME = 'lenet-personal';
const DB_VERSION = 1;
const MODEL_KEY = 'personal';

function open() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined')
      throw new Error('This browser keeps nothing for this page (no IndexedDB), so your examples last until you leave it.');
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('examples')) db.createObjectStore('examples', { keyPath: 'id', autoIncrement: true });
      if (!db.objectStoreNames.contains('model')) db.createObjectStore('model');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`Could not open this browser's storage (${request.error?.message ?? 'unknown error'}).`));
    request.onblocked = () => reject(new Error('Could not open this browser\'s storage: another tab of this page holds it; close it and try again.'));
  });
}

// Runs use(store) in one transaction; resolves with the value of the request use() returns
// (or undefined) once the transaction has committed.
async function transact(storeName, mode, use) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const request = use(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = tx.onabort = () => reject(new Error(`Could not ${mode === 'readonly' ? 'read' : 'save'} in this browser's storage (${tx.error?.message ?? 'aborted'}).`));
    });
  } finally {
    db.close();
  }
}

// An example is a digit's label and a drawing the core takes to learn from. Which drawings those
// are is the core's rule alone (checkDrawing: the page's module, core/ink/drawing.hpp's
// check_drawing and fine-tuning's "it has ink"), not one restated here: the examples are
// downloaded for lenet-train, which reads them with that same core, and the store is read only
// once the module is there (teaching starts after the first model loads).
function isExample(e, checkDrawing) {
  if (e === null || typeof e !== 'object' || !Number.isInteger(e.label) || e.label < 0 || e.label > 9) return false;
  try {
    checkDrawing(e.drawing);
    return true;
  } catch {
    return false;
  }
}

// Resolves to { examples: [{ id, label, drawing }], dropped } in the order they were taught;
// records that are not an example (a damaged store) are deleted and counted in dropped.
// checkDrawing(drawing) throws for a drawing the core would not learn from.
export async function loadExamples(checkDrawing) {
  const all = await transact('examples', 'readonly', (s) => s.getAll());
  const kept = all.map((e) => isExample(e, checkDrawing));
  const examples = all.filter((e, i) => kept[i]);
  const bad = all.filter((e, i) => !kept[i]);
  if (bad.length > 0) await transact('examples', 'readwrite', (s) => { for (const e of bad) s.delete(e.id); });
  return { examples, dropped: bad.length };
}

// Resolves to the new example's id.
export function addExample(label, drawing) {
  return transact('examples', 'readwrite', (s) => s.add({ label, drawing }));
}

export function removeExample(id) {
  return transact('examples', 'readwrite', (s) => s.delete(id));
}

export function forgetExamples() {
  return transact('examples', 'readwrite', (s) => s.clear());
}

// The stored personal model, or null: { bytes: Uint8Array, examples, seconds, from, active }.
// A record that is not one (a damaged store) resolves to { damaged: true }.
export async function loadPersonalModel() {
  const record = await transact('model', 'readonly', (s) => s.get(MODEL_KEY));
  if (record === undefined) return null;
  if (record === null || typeof record !== 'object' || !(record.bytes instanceof Uint8Array)) return { damaged: true };
  return record;
}

export function savePersonalModel(record) {
  return transact('model', 'readwrite', (s) => s.put(record, MODEL_KEY));
}

export function deletePersonalModel() {
  return transact('model', 'readwrite', (s) => s.delete(MODEL_KEY));
}

// Whether the page reads digits with the personal model (true) or the shipped one.
export async function setPersonalModelActive(active) {
  const record = await loadPersonalModel();
  if (record && !record.damaged) await savePersonalModel({ ...record, active });
}
