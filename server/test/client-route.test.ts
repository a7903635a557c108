// The page as served: brotli or gzip copies made at build time are sent to browsers that accept
// them (and the plain file to those that do not), hashed assets are cached for good, and the
// page's inline stylesheet is allowed by its hash in the CSP, with no 'unsafe-inline'.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { inlineStyleHashes } from '../src/routes/client.ts';
import { startServer } from './helpers.ts';

const STYLE = 'body{background:#0c1117}';
const PAGE = `<!doctype html><title>x</title><style>${STYLE}</style><script type="module" src="/assets/a-1.js"></script>`;
const SCRIPT = `export const a = ${JSON.stringify('x'.repeat(2000))};`;

/** A built client in a temporary folder, with compressed copies beside each file as the build makes. */
function builtClient(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-page-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  for (const [file, text] of [
    ['index.html', PAGE],
    ['assets/a-1.js', SCRIPT],
  ] as const) {
    writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, `${file}.br`), brotliCompressSync(text));
    writeFileSync(join(dir, `${file}.gz`), gzipSync(text));
  }
  return dir;
}

test('the inline style hash is the sha256 of exactly what is between the tags', () => {
  assert.deepEqual(inlineStyleHashes(PAGE), ["'sha256-DwL9quJsZ27jczYW9XiAZr889kXTBp0bTMsdgkHhrSs='"]);
  assert.deepEqual(inlineStyleHashes('<title>none</title>'), []);
});

test('the page is sent precompressed with brotli, its style allowed by hash, never cached stale', async (t) => {
  const { base } = await startServer(t, { clientDir: builtClient(t) });
  const res = await fetch(`${base}/`, { headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-encoding'), 'br');
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(res.headers.get('vary') ?? '', /accept-encoding/i);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.equal(await res.text(), PAGE); // fetch decodes br
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, new RegExp(`style-src 'self' ${inlineStyleHashes(PAGE)[0]!.replace(/[+/=]/g, '\\$&')}(;|$)`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
});

test('assets go out as brotli, gzip or plain as the browser accepts, cached as immutable', async (t) => {
  const { base } = await startServer(t, { clientDir: builtClient(t) });
  const raw = async (encoding: string) => {
    // node:http rather than fetch, to see the bytes as sent.
    return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${base}/assets/a-1.js`, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
  };
  const br = await raw('gzip, deflate, br, zstd');
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(brotliDecompressSync(br.body).toString(), SCRIPT);
  assert.ok(br.body.length < SCRIPT.length / 10, `brotli copy: ${br.body.length} bytes`);
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(String(br.headers['content-type']), /javascript/);
  const gz = await raw('gzip');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const plain = await raw('identity');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), SCRIPT);
  // The script's policy is untouched: only the page gets its style hash.
  assert.doesNotMatch(String(br.headers['content-security-policy'] ?? ''), /sha256-/);
});
