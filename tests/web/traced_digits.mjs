// MNIST test digits traced into pen strokes by the core's tracer, through `lenet-train trace` (the
// native build: build it first, as `npm test` does): the page's tests draw digits nobody drew for them.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './browser.mjs';

export const LENET_TRAIN = join(REPO_ROOT, 'build/native/native_trainer/lenet-train');

// Test digits first .. first + count - 1, in test-set order (no choosing): [{ index, label, drawing }].
export function tracedTestDigits({ count, first = 0 }) {
  const dir = mkdtempSync(join(tmpdir(), 'traced-'));
  try {
    const file = join(dir, 'traced.json');
    execFileSync(LENET_TRAIN, ['trace', '--first', String(first), '--count', String(count), '--out', file], { stdio: 'pipe' });
    return JSON.parse(readFileSync(file, 'utf8')).map(({ label, style, ...drawing }, k) => ({ index: first + k, label, drawing }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
