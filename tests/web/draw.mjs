// Draws a drawing JSON ({width, height, penWidth, strokes: [[[x, y], ...], ...]}) on the page's
// pad with real input events: the drawing's canvas is scaled uniformly onto the pad's on-screen
// box (and centred when the aspect ratios differ). Both helpers return once the page has had the
// animation frames to classify what was drawn.
//   drawWithMouse(page, drawing)  page.mouse: mouse-type pointer events
//   drawWithTouch(page, drawing)  CDP Input.dispatchTouchEvent: touch-type pointer events
//                                 (Playwright's touchscreen only taps); needs a context with
//                                 hasTouch: true

export async function padBox(page) {
  const box = await page.getByTestId('pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  return box;
}

// Maps the drawing's canvas coordinates to page coordinates inside the pad's box.
function toScreen(box, drawing) {
  const scale = Math.min(box.width / drawing.width, box.height / drawing.height);
  const left = box.x + (box.width - drawing.width * scale) / 2;
  const top = box.y + (box.height - drawing.height * scale) / 2;
  return ([x, y]) => ({ x: left + x * scale, y: top + y * scale });
}

// Two animation frames: the page draws and classifies in the frame after an input event.
export async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

export async function drawWithMouse(page, drawing) {
  const at = toScreen(await padBox(page), drawing);
  for (const stroke of drawing.strokes) {
    if (stroke.length === 0) continue;
    const first = at(stroke[0]);
    await page.mouse.move(first.x, first.y);
    await page.mouse.down();
    for (const point of stroke.slice(1)) {
      const p = at(point);
      await page.mouse.move(p.x, p.y);
    }
    await page.mouse.up();
  }
  await settle(page);
}

export async function drawWithTouch(page, drawing) {
  const at = toScreen(await padBox(page), drawing);
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, point) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ ...point, id: 1, radiusX: 1, radiusY: 1, force: 1 }] : [] });
  try {
    for (const stroke of drawing.strokes) {
      if (stroke.length === 0) continue;
      await touch('touchStart', at(stroke[0]));
      for (const point of stroke.slice(1)) await touch('touchMove', at(point));
      await touch('touchEnd', null);
    }
  } finally {
    await cdp.detach();
  }
  await settle(page);
}
