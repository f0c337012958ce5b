// Offline use and installing, set up by main.js once the page has shown its first prediction:
// links the web app manifest (a browser fetches it, and an icon, as soon as it is linked: that
// waits until now so that the first visit downloads nothing extra before its first prediction),
// registers the service worker (../sw.js) at an idle moment, and reloads the page once when a new
// deployment's worker takes it over. Without service workers (an older browser, an insecure
// context, a browser set to block them) the page works online as before.

export function setUpOffline(loadedByWorker) {
  linkManifest();
  if (!('serviceWorker' in navigator)) return;
  if (reloadWhenReplaced(loadedByWorker)) return;
  const idle = self.requestIdleCallback ?? ((callback) => setTimeout(callback, 0));
  idle(register, { timeout: 2000 });
}

function linkManifest() {
  if (document.querySelector('link[rel="manifest"]')) return;
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = new URL('../manifest.webmanifest', import.meta.url).href;
  document.head.append(link);
}

function register() {
  // updateViaCache 'none': an update check asks the server for sw.js and precache.js themselves,
  // not a copy in the HTTP cache, so a new deployment is seen at the next visit.
  navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { updateViaCache: 'none' })
    .catch((error) => console.warn(`Offline use is unavailable: ${error.message}`));
}

// A page loaded by one version's worker and then taken over by another's (a new deployment was
// installed meanwhile) would fetch its later files (another model, a worker script) from the new
// deployment: it reloads instead, once, so that all its files come from one. The first worker
// taking over a page loaded from the network changes nothing: no reload.
// Returns true when the page is already being reloaded.
function reloadWhenReplaced(loadedByWorker) {
  if (!loadedByWorker) return false;
  if (navigator.serviceWorker.controller !== loadedByWorker) {
    location.reload();
    return true;
  }
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  return false;
}
