// "Save drawing": downloads the drawing as JSON in the format `lenet-train predict` reads,
// {"width", "height", "penWidth", "strokes": [[[x, y], ...], ...]}, so a digit the page gets
// wrong can be reported and replayed. With the digit the person meant (they corrected it), the
// JSON carries it as "label", the labelled-drawing format `lenet-train eval-drawings` reads.

export function saveDrawing(drawing, predictedDigit, label = null) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const predicted = predictedDigit ? `-predicted-${predictedDigit}` : '';
  const meant = label === null ? '' : `-label-${label}`;
  const json = label === null ? drawing : { ...drawing, label };
  downloadFile(new Blob([JSON.stringify(json) + '\n'], { type: 'application/json' }),
               `lenet-drawing${predicted}${meant}-${stamp}.json`);
}

// Hands a file to the browser's downloads (nothing leaves the device).
export function downloadFile(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
