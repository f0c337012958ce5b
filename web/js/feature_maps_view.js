// "Show what each layer sees": for the current drawing, the output of every convolution and pooling
// layer of the loaded model, one small greyscale canvas per channel, grouped per layer (as Keras.js
// and ConvNetJS showed them). Which layers, their names and shapes come from the core
// (engine.featureMaps()), so any model fits: both shipped ones and a personal one.
// main.js imports this module the first time the disclosure opens and calls update() with each
// prediction; while the disclosure is closed update() computes nothing.

// Each map is shown at least this large (CSS pixels), and a 28x28 one at twice its size.
const MIN_TILE = 24;
const MAX_TILE = 56;

export class FeatureMapsView {
  #details;
  #maps;  // the container of the layers' groups
  #getEngine;
  #layout = '';  // the layers' names and shapes the groups were built for
  #tiles = [];  // per layer: [{ context, image }] per channel

  // details: the <details> element; getEngine(): the wasm module (featureMaps()).
  constructor(details, getEngine) {
    this.#details = details;
    this.#maps = details.querySelector('.layers-maps');
    this.#getEngine = getEngine;
    this.clear();
  }

  // result: the page's latest prediction (null or empty: nothing drawn).
  update(result) {
    if (!result || result.empty) {
      this.clear();
      return;
    }
    if (!this.#details.open) return;
    let maps;
    try {
      maps = this.#getEngine().featureMaps();
    } catch (error) {
      this.#message(`The feature maps are not available: ${error.message}`);
      return;
    }
    this.#build(maps);
    maps.forEach((map, layer) => drawLayer(map, this.#tiles[layer]));
  }

  clear() {
    this.#message('Draw a digit to see what each layer makes of it.');
  }

  #message(text) {
    const note = document.createElement('p');
    note.className = 'layers-empty';
    note.textContent = text;
    this.#maps.replaceChildren(note);
    this.#layout = '';
    this.#tiles = [];
  }

  // One group per layer, one canvas per channel; rebuilt only when the model's layers change.
  #build(maps) {
    const layout = maps.map((m) => `${m.name} ${m.kind} ${m.channels}x${m.height}x${m.width}`).join(',');
    if (layout === this.#layout) return;
    this.#layout = layout;
    this.#tiles = [];
    this.#maps.replaceChildren(...maps.map((map) => this.#group(map)));
  }

  #group(map) {
    const group = document.createElement('section');
    group.className = 'layer-maps';
    group.dataset.layer = map.name;
    group.setAttribute('role', 'group');
    const plural = map.channels === 1 ? 'map' : 'maps';
    group.setAttribute('aria-label',
      `Layer ${map.name}: ${map.channels} feature ${plural} of ${map.height} by ${map.width} pixels`);
    const heading = document.createElement('h3');
    heading.textContent = `${map.name} · ${map.channels} ${plural} ${map.height}×${map.width}`;
    heading.setAttribute('aria-hidden', 'true');  // the group's name says it in words
    const grid = document.createElement('div');
    grid.className = 'layer-tiles';
    grid.style.setProperty('--tile', `${Math.min(MAX_TILE, Math.max(MIN_TILE, 2 * map.width))}px`);
    const tiles = [];
    for (let c = 0; c < map.channels; c++) {
      const canvas = document.createElement('canvas');
      canvas.width = map.width;
      canvas.height = map.height;
      canvas.setAttribute('aria-hidden', 'true');
      const context = canvas.getContext('2d');
      tiles.push({ context, image: context.createImageData(map.width, map.height) });
      grid.append(canvas);
    }
    this.#tiles.push(tiles);
    group.append(heading, grid);
    return group;
  }
}

// Each channel scaled on its own from black (its lowest value) to white (its highest); a channel
// that is the same everywhere (a 1x1 map, say) is scaled with the whole layer's range instead.
function drawLayer(map, tiles) {
  const area = map.height * map.width;
  const layerRange = range(map.data, 0, map.data.length);
  for (let c = 0; c < map.channels; c++) {
    const own = range(map.data, c * area, (c + 1) * area);
    const { low, high } = own.high > own.low ? own : layerRange;
    const scale = high > low ? 255 / (high - low) : 0;
    const { context, image } = tiles[c];
    const pixels = image.data;
    for (let i = 0; i < area; i++) {
      const level = Math.round((map.data[c * area + i] - low) * scale);
      pixels[4 * i] = level;
      pixels[4 * i + 1] = level;
      pixels[4 * i + 2] = level;
      pixels[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }
}

function range(data, begin, end) {
  let low = Infinity;
  let high = -Infinity;
  for (let i = begin; i < end; i++) {
    if (data[i] < low) low = data[i];
    if (data[i] > high) high = data[i];
  }
  return { low, high };
}
