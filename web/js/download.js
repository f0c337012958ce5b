// Every file the page and its Worker fetch themselves (the module, the model list, the models, the
// MNIST replay sample) is downloaded here, so that a failure reads the same everywhere: one
// sentence naming what was being downloaded, its path and why.

// Resolves to the response for url; rejects with that sentence on a network error or an HTTP error.
export async function download(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download ${what} ${url.pathname} (${error.message}); are you offline?`);
  }
  if (!response.ok) throw new Error(`Could not download ${what} ${url.pathname} (HTTP ${response.status}).`);
  return response;
}
