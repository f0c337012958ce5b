// Hand-made drawings for the behaviour tests. Whether the network reads real handwriting is the
// MNIST digits test's job; these only need digits a trained LeNet cannot miss.
//
// The canvas every test drawing is made on. Its coordinates are the tests' own, not a copy of the
// page's: draw.mjs scales a drawing's canvas onto the pad wherever it is drawn there (the page then
// draws with its own pen, web/js/drawing_pad.js), and the module tests hand it to the core as is.
export const TEST_CANVAS = { width: 280, height: 280, penWidth: 18 };

export const ONE = { ...TEST_CANVAS, strokes: [[[140, 40], [142, 90], [142, 140], [141, 190], [140, 240]]] };

function ellipse(cx, cy, rx, ry, points = 40) {
  return Array.from({ length: points + 1 }, (_, i) => {
    const a = (2 * Math.PI * i) / points;
    return [Math.round(cx + rx * Math.sin(a)), Math.round(cy - ry * Math.cos(a))];
  });
}
export const ZERO = { ...TEST_CANVAS, strokes: [ellipse(140, 140, 65, 100)] };

// A 7 drawn in two strokes (bar, then the diagonal), for Undo.
export const SEVEN = {
  ...TEST_CANVAS,
  strokes: [
    [[70, 50], [130, 50], [210, 50]],
    [[210, 50], [185, 110], [160, 170], [140, 240]],
  ],
};
