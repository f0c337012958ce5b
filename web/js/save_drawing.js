// "Save drawing": downloads the drawing as JSON in the format `lenet-train predict` reads,
// {"width", "height", "penWidth", "strokes": [[[x, y], ...], ...]}, so a digit the page gets
// wrong can be reported and replayed.

export function saveDrawing(drawing, predictedDigit) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const label = predictedDigit ? `-predicted-${predictedDigit}` : '';
  const blob = new Blob([JSON.stringify(drawing) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `lenet-drawing${label}-${stamp}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
