// The page in the two other engines, from Debian's packages (scripts/setup.sh installs them; no
// browser is downloaded):
//   firefox  Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi
//   webkit   WebKitGTK's MiniBrowser through WebKitWebDriver and selenium-webdriver, in an Xvfb
//            display of its own (MiniBrowser has no headless mode)
// Both behind one small interface, so that one suite (engine_suite.mjs) runs in either:
//   goto(url), reload(), evaluate(fn, arg) (fn runs in the page; a promise is awaited),
//   waitFor(fn, arg, what), click(selector), stroke(points) (viewport pixels, mouse button held),
//   touchStroke(points) where the driver has touch (Firefox; WebKitWebDriver sends touch as mouse),
//   errors() (console errors and uncaught exceptions), close().
// An engine that cannot start throws, naming what is missing: a test never skips silently.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const FIREFOX = '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB = '/usr/bin/Xvfb';
const VIEWPORT = { width: 1280, height: 1000 };

function requireFile(path, engine) {
  if (!existsSync(path)) throw new Error(`${engine}: ${path} is missing (scripts/setup.sh installs it: run npm test or bash scripts/setup.sh)`);
}

// Polls fn (async, may throw while the page reloads) until it gives something truthy.
async function poll(fn, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) { last = error; }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Console errors for an engine whose driver cannot report them (WebKit: no BiDi): the page's own
// console.error and uncaught errors, collected in the page after each navigation.
const COLLECT_ERRORS = `
  if (!window.__lenetErrors) {
    window.__lenetErrors = [];
    const original = console.error.bind(console);
    console.error = (...args) => { window.__lenetErrors.push(args.map(String).join(' ')); original(...args); };
    addEventListener('error', (e) => window.__lenetErrors.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => window.__lenetErrors.push(String(e.reason)));
  }`;

export async function launchFirefox() {
  requireFile(FIREFOX, 'firefox');
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true,
                                           defaultViewport: VIEWPORT });
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  const evaluate = (fn, arg) => page.evaluate(fn, arg);
  return {
    name: 'firefox',
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate,
    waitFor: (fn, arg, what, timeoutMs) => poll(() => evaluate(fn, arg), what, timeoutMs),
    click: (selector) => page.click(selector),
    async stroke(points) {
      await page.mouse.move(points[0].x, points[0].y);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    },
    // Touch-type pointer events (WebDriver BiDi touch actions).
    async touchStroke(points) {
      await page.touchscreen.touchStart(points[0].x, points[0].y);
      for (const p of points.slice(1)) await page.touchscreen.touchMove(p.x, p.y);
      await page.touchscreen.touchEnd();
    },
    errors: async () => errors.slice(),
    close: () => browser.close(),
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Starts `command` and resolves once it is still running after `settleMs` (or rejects with its output).
function startProcess(command, args, env, settleMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)));
    setTimeout(() => { child.removeAllListeners('exit'); resolve(child); }, settleMs);
  });
}

export async function launchWebKit() {
  for (const file of [XVFB, WEBKIT_DRIVER, MINIBROWSER]) requireFile(file, 'webkit');
  const { Builder, By, Origin } = await import('selenium-webdriver');
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  const xvfb = await startProcess(XVFB, [display, '-screen', '0', '1400x1200x24', '-nolisten', 'tcp'], process.env, 300);
  const port = await freePort();
  let driverProcess;
  let driver;
  try {
    driverProcess = await startProcess(WEBKIT_DRIVER, [`--port=${port}`], { ...process.env, DISPLAY: display }, 300);
    driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    await driver.manage().window().setRect({ x: 0, y: 0, ...VIEWPORT });
  } catch (error) {
    driverProcess?.kill();
    xvfb.kill();
    throw new Error(`webkit: could not start MiniBrowser through WebKitWebDriver: ${error.message}`);
  }
  const evaluate = (fn, arg) => driver.executeScript(`${COLLECT_ERRORS}; return (${fn})(arguments[0]);`, arg);
  return {
    name: 'webkit',
    goto: (url) => driver.get(url),
    reload: () => driver.navigate().refresh(),
    evaluate,
    waitFor: (fn, arg, what, timeoutMs) => poll(() => evaluate(fn, arg), what, timeoutMs),
    click: async (selector) => (await driver.findElement(By.css(selector))).click(),
    async stroke(points) {
      // WebDriver pointer positions are whole CSS pixels in the viewport.
      const at = (p) => ({ x: Math.round(p.x), y: Math.round(p.y), origin: Origin.VIEWPORT });
      let actions = driver.actions({ async: true }).move(at(points[0])).press();
      for (const p of points.slice(1)) actions = actions.move({ ...at(p), duration: 0 });
      await actions.release().perform();
    },
    errors: () => evaluate(() => window.__lenetErrors.slice()),
    async close() {
      await driver.quit().catch(() => {});
      driverProcess.kill();
      xvfb.kill();
    },
  };
}

export const ENGINES = { firefox: launchFirefox, webkit: launchWebKit };
