// The model card: what the loaded file's metadata says about the network, which engine runs it,
// and how long the last classification took.

const text = (id, value) => { document.getElementById(id).textContent = value; };

// 61706 -> "61,706". Not toLocaleString: its first call loads the browser's locale data, 40-70 ms
// on the main thread while the page starts (bench/browser.sh's start-up profile).
export function withThousands(count) {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function showModelInfo(info) {
  text('model-arch', info.arch);
  text('model-parameters', withThousands(info.parameters));
  const accuracy = Number.parseFloat(info.testAccuracy);
  const testImages = Number.parseInt(info.extra?.test_images, 10);
  const onWhat = Number.isFinite(testImages) ? ` on ${withThousands(testImages)} test images` : '';
  text('model-accuracy', Number.isFinite(accuracy) ? `${(100 * accuracy).toFixed(2)} %${onWhat}` : 'not measured');
  const training = [info.recipe && `recipe ${info.recipe}`, info.trainerVersion].filter(Boolean);
  text('model-training', training.length > 0 ? training.join(', ') : '–');
}

export function showEngine(name) {
  text('engine', name);
}

export function showInferenceTime(milliseconds) {
  text('inference-time', milliseconds === null ? '–' : `${milliseconds.toFixed(2)} ms`);
}
