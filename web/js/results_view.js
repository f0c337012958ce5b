// Shows a classification: the top digit and its confidence, a bar per class, the 28x28 input the
// network saw, and a sentence for screen readers. Every probability is also kept at full
// precision in its bar's data-value (tests compare them with lenet-train's).

const percent = (p) => `${(100 * p).toFixed(1)} %`;

export class ResultsView {
  #digit = document.getElementById('prediction');
  #confidence = document.getElementById('confidence');
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
    let top = -1;
    if (probabilities) for (let c = 0; c < probabilities.length; c++) if (top < 0 || probabilities[c] > probabilities[top]) top = c;

    this.#rows.forEach(({ row, fill, text }, c) => {
      const p = probabilities ? probabilities[c] : null;
      row.dataset.value = p === null ? '' : String(p);
      row.classList.toggle('top', c === top);
      fill.style.width = `${p === null ? 0 : 100 * p}%`;
      text.textContent = p === null ? '' : percent(p);
    });
    this.#digit.textContent = top < 0 ? '' : String(top);
    this.#confidence.textContent = top < 0 ? 'Nothing drawn yet' : `${percent(probabilities[top])} sure`;
    this.#sentence = top < 0 ? 'Nothing drawn.' : `Looks like a ${top}, ${Math.round(100 * probabilities[top])} percent sure.`;
    this.#drawPreview(result && !result.empty ? result.input : null);
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
