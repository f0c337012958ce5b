// What index.html's first script started while the page was still being parsed: the engine's
// compilation and the first prediction's downloads (self.lenetEarly, keyed by absolute URL). Each
// is taken once; where the script did not run (the learning Worker, node) or its work failed,
// the caller starts its own, which reports any error in its own words.

// Resolves to what the early work for url gave, or to null where there was none or it failed.
export async function takeEarly(url) {
  const early = globalThis.lenetEarly;
  const started = early?.[url.href];
  if (!started) return null;
  delete early[url.href];
  try {
    return await started;
  } catch {
    return null;
  }
}
