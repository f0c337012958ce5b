// The drawing pad: Pointer Events (mouse, touch, pen) into strokes kept as vectors, in a fixed
// logical coordinate system of SIDE x SIDE whatever the pad's size on screen, so a drawing means
// the same on a phone and a desktop and replays anywhere (its JSON is what lenet-train reads).
// The canvas only shows the strokes; recognition never reads its pixels back.

export const SIDE = 280;       // logical canvas size: 10 x MNIST's 28 px
export const PEN_WIDTH = 18;   // logical pen width, about MNIST's stroke width relative to a digit

// Points are kept to 1/100 logical pixel: finer than any screen, and the saved JSON stays short
// and parses back to exactly the floats the page classified.
const round = (v) => Math.round(v * 100) / 100;

export class DrawingPad {
  #canvas;
  #context;
  #strokes = [];
  #activePointer = null;
  #onChange;

  // onChange(reason) is called after every change: 'draw' while a stroke grows, 'stroke-end',
  // 'undo', 'clear'.
  constructor(canvas, onChange) {
    this.#canvas = canvas;
    this.#context = canvas.getContext('2d');
    this.#onChange = onChange;
    canvas.addEventListener('pointerdown', (e) => this.#start(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'])
      canvas.addEventListener(type, (e) => this.#end(e));
    // touch-action: none in the CSS stops scrolling and zooming; these cover browsers that
    // still start a long-press menu or a scroll from the underlying touch events.
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('touchmove', (e) => e.preventDefault(), { passive: false });
    new ResizeObserver(() => this.render()).observe(canvas);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.render());
  }

  get isEmpty() { return this.#strokes.length === 0; }

  // The drawing in the format of core/ink/drawing.hpp and `lenet-train predict`.
  toDrawing() {
    return { width: SIDE, height: SIDE, penWidth: PEN_WIDTH, strokes: this.#strokes.map((s) => s.slice()) };
  }

  undo() {
    if (this.isEmpty) return;
    this.#strokes.pop();
    this.#activePointer = null;
    this.#onChange('undo');
  }

  clear() {
    if (this.isEmpty) return;
    this.#strokes = [];
    this.#activePointer = null;
    this.#onChange('clear');
  }

  #point(event) {
    const box = this.#canvas.getBoundingClientRect();
    return [round(((event.clientX - box.left) * SIDE) / box.width),
            round(((event.clientY - box.top) * SIDE) / box.height)];
  }

  #start(event) {
    if (!event.isPrimary || this.#activePointer !== null) return;  // a second finger does not draw
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    this.#canvas.setPointerCapture(event.pointerId);
    this.#activePointer = event.pointerId;
    this.#strokes.push([this.#point(event)]);
    this.#onChange('draw');
  }

  #move(event) {
    if (event.pointerId !== this.#activePointer) return;
    const stroke = this.#strokes[this.#strokes.length - 1];
    // Coalesced events carry the points the browser merged into this one: smoother curves.
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length > 0 ? events : [event]) {
      const [x, y] = this.#point(e);
      const [lastX, lastY] = stroke[stroke.length - 1];
      if (x !== lastX || y !== lastY) stroke.push([x, y]);
    }
    this.#onChange('draw');
  }

  #end(event) {
    if (event.pointerId !== this.#activePointer) return;
    this.#activePointer = null;
    this.#onChange('stroke-end');
  }

  // Draws every stroke at the canvas's current on-screen size and pixel density. The bitmap's size
  // is set here alone (index.html gives the canvas none: CSS sizes the element, and nothing is
  // drawn on it before this runs), so SIDE is the one place the logical size is written.
  render() {
    const canvas = this.#canvas;
    const box = canvas.getBoundingClientRect();
    const pixels = Math.max(1, Math.round(box.width * devicePixelRatio));
    if (canvas.width !== pixels || canvas.height !== pixels) canvas.width = canvas.height = pixels;
    const ctx = this.#context;
    const scale = pixels / SIDE;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, pixels, pixels);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    const ink = getComputedStyle(canvas).getPropertyValue('--pad-ink').trim() || '#000';
    ctx.strokeStyle = ctx.fillStyle = ink;
    paintStrokes(ctx, this.#strokes, PEN_WIDTH);
  }
}

// Paints strokes with round caps in the context's current transform and colours (the pad, and
// the thumbnails of a person's examples).
export function paintStrokes(ctx, strokes, penWidth) {
  ctx.lineWidth = penWidth;
  ctx.lineCap = ctx.lineJoin = 'round';
  for (const stroke of strokes) {
    if (stroke.length === 1) {  // a tap: a dot as wide as the pen
      ctx.beginPath();
      ctx.arc(stroke[0][0], stroke[0][1], penWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(stroke[0][0], stroke[0][1]);
    for (let i = 1; i < stroke.length; i++) ctx.lineTo(stroke[i][0], stroke[i][1]);
    ctx.stroke();
  }
}
