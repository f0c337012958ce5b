// A small static file server for the page (node's http module, no dependencies).
//   node scripts/serve.mjs [--root web] [--port 8080] [--base /]
// --base serves the folder under a subpath (e.g. /lenet/), as GitHub Pages does with
// https://USER.github.io/REPO/; the browser tests use it to check that every URL is relative.
// Also a module: startServer({ root, port, base }) resolves to { server, url } (port 0: any free port).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',  // needed for WebAssembly.instantiateStreaming
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

function normalizeBase(base) {
  let b = base.startsWith('/') ? base : `/${base}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

// The file for a request path, or null when it lies outside the base or the root.
function fileFor(root, base, pathname) {
  if (!pathname.startsWith(base)) return null;
  let relative;
  try {
    relative = decodeURIComponent(pathname.slice(base.length));
  } catch {
    return null;
  }
  const file = normalize(join(root, relative));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function handle(root, base, request, response) {
  const send = (status, text, headers = {}) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    response.end(text);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'only GET and HEAD\n');
  let pathname;
  try {
    ({ pathname } = new URL(request.url, 'http://localhost'));
  } catch {
    return send(400, `not a path: ${request.url}\n`);  // e.g. "//", which URL reads as a host
  }
  if (pathname === base.slice(0, -1)) return send(301, '', { Location: base });  // /lenet -> /lenet/
  let file = fileFor(root, base, pathname);
  if (!file) return send(404, `not found: ${pathname}\n`);
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) return send(301, '', { Location: `${pathname}/` });
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(404, `not found: ${pathname}\n`);
  // With a validator the browser asks "changed?" instead of downloading again: the service
  // worker's copy of the files the page has just loaded costs 304s, not a second download.
  const etag = `"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`;
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
    return response.end();
  }
  response.writeHead(200, {
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',  // a rebuilt module shows up on the next reload
    ETag: etag,
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(file).pipe(response);
}

export function startServer({ root = 'web', port = 8080, base = '/', host = '127.0.0.1' } = {}) {
  const rootDir = resolve(root);
  const basePath = normalizeBase(base);
  const server = createServer((request, response) => {
    handle(rootDir, basePath, request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`server error: ${error.message}\n`);
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://localhost:${actual}${basePath}` });
    });
  });
}

function parseArguments(argv) {
  const options = { root: fileURLToPath(new URL('../web', import.meta.url)), port: 8080, base: '/' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--root' && value) options.root = value;
    else if (flag === '--port' && /^\d+$/.test(value ?? '')) options.port = Number(value);
    else if (flag === '--base' && value) options.base = value;
    else if (flag === '--host' && value) options.host = value;
    else throw new Error(`unknown or incomplete option '${flag}'; usage: serve.mjs [--root DIR] [--port N] [--base /PATH/] [--host ADDRESS]`);
    i++;
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { url } = await startServer(parseArguments(process.argv.slice(2)));
    console.log(`Serving the page at ${url}  (Ctrl+C stops)`);
  } catch (error) {
    console.error(`serve.mjs: ${error.code === 'EADDRINUSE' ? 'the port is already in use; choose another with --port N' : error.message}`);
    process.exit(1);
  }
}
