// Shows a classification: the top digit and its confidence, a bar per class, the 28x28 input the
// network saw, and a sentence for screen readers. Every probability is also kept at full
// precision in its bar's data-value (tests compare them with lenet-train's). When the network is
// unsure it says so and names the runner-up too ("7, or perhaps 1") rather than one confident
// wrong answer. When the drawing does not look like a digit at all (an X, a tap, a letter: the
// core's rule, core/read/plausibility.hpp) it says so instead of naming a digit; the bars still show
// what the network made of it.

const percent = (p) => `${(100 * p).toFixed(1)} %`;

export const NOT_A_DIGIT = 'That does not look like a digit';

// Below this top probability the runner-up is shown too. Chosen on drawn digits the default
// model was not trained on (README, "When it is unsure"): about half of its mistakes fall below
// it, most of them with the right digit as the runner-up, while fewer than 1 in 100 right answers
// get an "or perhaps"; at 0.6 only a quarter of the mistakes would.
export const UNSURE_BELOW = 0.8;

// The classes with the largest and second-largest probabilities.
function topTwo(probabilities) {
  let first = -1, second = -1;
  probabilities.forEach((p, c) => {
    if (first < 0 || p > probabilities[first]) [first, second] = [c, first];
    else if (second < 0 || p > probabilities[second]) second = c;
  });
  return [first, second];
}

// "a 7", "an 8": digits as they are read aloud.
function withArticle(digit) {
  return `${digit === 8 ? 'an' : 'a'} ${digit}`;
}

export class ResultsView {
  #digit = document.getElementById('prediction');
  #confidence = document.getElementById('confidence');
  #runnerUp = document.getElementById('runner-up');
  #announce = document.getElementById('announce');
  #bars = document.getElementById('bars');
  #preview = document.getElementById('preview');
  #rows = [];
  #sentence = '';

  constructor(classes = 10) {
    this.#bars.replaceChildren();
    this.#rows = [];
    for (let c = 0; c < classes; c++) {
      const row = document.createElement('li');
      row.dataset.testid = `prob-${c}`;
      row.dataset.value = '';
      row.innerHTML = `<span class="label">${c}</span><span class="track"><span class="fill"></span></span>` +
                      '<span class="percent"></span>';
      this.#bars.append(row);
      this.#rows.push({ row, fill: row.querySelector('.fill'), text: row.querySelector('.percent') });
    }
  }

  // result: the module's classify() result, or null when nothing is drawn.
  show(result) {
    const probabilities = result && !result.empty ? result.probabilities : null;
    const notDigit = probabilities !== null && result.plausible === false;
    const [top, second] = probabilities && !notDigit ? topTwo(probabilities) : [-1, -1];
    const unsure = top >= 0 && second >= 0 && probabilities[top] < UNSURE_BELOW;

    this.#rows.forEach(({ row, fill, text }, c) => {
      const p = probabilities ? probabilities[c] : null;
      row.dataset.value = p === null ? '' : String(p);
      row.classList.toggle('top', c === top);
      fill.style.width = `${p === null ? 0 : 100 * p}%`;
      text.textContent = p === null ? '' : percent(p);
    });
    this.#digit.textContent = top < 0 ? '' : String(top);
    this.#runnerUp.hidden = !unsure;
    if (unsure) this.#runnerUp.innerHTML = `${top}, or perhaps <strong>${second}</strong>`;
    else this.#runnerUp.textContent = '';
    if (notDigit) {
      this.#confidence.textContent = NOT_A_DIGIT;
      this.#sentence = `${NOT_A_DIGIT}.`;
    } else if (top < 0) {
      this.#confidence.textContent = 'Nothing drawn yet';
      this.#sentence = 'Nothing drawn.';
    } else if (unsure) {
      this.#confidence.textContent = `Not sure: ${percent(probabilities[top])}`;
      this.#sentence = `Not sure: looks like ${withArticle(top)}, or perhaps ${withArticle(second)}.`;
    } else {
      this.#confidence.textContent = `${percent(probabilities[top])} sure`;
      this.#sentence = `Looks like ${withArticle(top)}, ${Math.round(100 * probabilities[top])} percent sure.`;
    }
    this.#drawPreview(result && !result.empty ? result.input : null);
  }

  // Without a network nothing can be read: the verdict says so instead of "Nothing drawn yet".
  showUnavailable() {
    this.show(null);
    this.#confidence.textContent = 'No network loaded: nothing can be recognised';
    this.#sentence = 'No network loaded.';
  }

  // The live region speaks only when asked (after a stroke, undo or clear), not on every frame.
  announce() {
    this.#announce.textContent = this.#sentence;
  }

  #drawPreview(input) {
    const ctx = this.#preview.getContext('2d');
    const side = this.#preview.width;
    const image = ctx.createImageData(side, side);
    if (input) {
      for (let i = 0; i < side * side; i++) {
        const level = Math.round(255 * Math.min(1, Math.max(0, input[i])));  // white ink on black, as MNIST
        image.data.set([level, level, level, 255], 4 * i);
      }
    } else {
      for (let i = 0; i < side * side; i++) image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }
}
