// Offline use: registers the service worker (../sw.js) once the page has nothing more urgent to
// do, and reloads the page once when a new deployment's worker takes it over.
// Where service workers are unavailable (an older browser, an insecure context, a browser set to
// block them) the page simply works online as before.

const FALLBACK_DELAY_MS = 3000;

// Call once the page is ready. Registration waits for the end of the first stroke (the first
// prediction is then on its way) or a few seconds, then for an idle moment: the worker's install
// downloads the files the page has not needed yet, which must not slow down its first prediction.
export function registerServiceWorkerWhenIdle() {
  if (!('serviceWorker' in navigator)) return;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    removeEventListener('pointerup', start, true);
    const idle = self.requestIdleCallback ?? ((callback) => setTimeout(callback, 0));
    idle(register, { timeout: 2000 });
  };
  addEventListener('pointerup', start, true);
  setTimeout(start, FALLBACK_DELAY_MS);
}

function register() {
  // updateViaCache 'none': an update check asks the server for sw.js and precache.js themselves,
  // not a copy in the HTTP cache, so a new deployment is seen at the next visit.
  navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { updateViaCache: 'none' })
    .catch((error) => console.warn(`Offline use is unavailable: ${error.message}`));
}

// A page that was loaded by one version's worker and is then taken over by another's (a new
// deployment was installed meanwhile) would fetch its later files (another model, a worker
// script) from the new deployment: it reloads instead, once, so all its files come from one.
// The first worker taking over a page that loaded from the network changes nothing: no reload.
// Listening starts when the page loads, before it fetches anything that could be mixed.
function reloadOnceWhenReplaced() {
  if (!('serviceWorker' in navigator)) return;
  const loadedByWorker = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!loadedByWorker || reloading) return;
    reloading = true;
    location.reload();
  });
}

reloadOnceWhenReplaced();
