// Bytes on the wire when the page opens, as part of `npm run bench -- --client`: a fresh browser
// context (empty cache) opens the join screen and waits until the game has loaded in the
// background; Resource Timing then says how many bytes each script and stylesheet took on the
// wire (encodedBodySize: compressed when the server compressed it). Chromium sends its own
// Accept-Encoding, the one a player's browser sends; this records which encoding came back.
// Must not: count what only loads on demand (the Canvas fallback) or read sizes from disk.
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md explains every number.

import type { Browser } from '@playwright/test';

export interface WireFile {
  readonly url: string;
  readonly kind: 'js' | 'css' | 'html';
  /** Body bytes as sent (after compression). */
  readonly wire: number;
  /** Body bytes once decoded. */
  readonly decoded: number;
  readonly encoding: string;
}

export interface PageBytes {
  readonly files: WireFile[];
  readonly js: number;
  readonly css: number;
  readonly html: number;
  /** The Accept-Encoding Chromium sent for the page. */
  readonly acceptEncoding: string;
}

/** Opens `base` with an empty cache and sums what came over the wire until the game had loaded. */
export async function measurePageBytes(browser: Browser, base: string): Promise<PageBytes> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const encodings = new Map<string, string>();
    let acceptEncoding: Promise<string> = Promise.resolve('');
    page.on('response', (res) => {
      encodings.set(res.url(), res.headers()['content-encoding'] ?? 'identity');
      // allHeaders: what the network stack really sent, Accept-Encoding included.
      if (res.request().resourceType() === 'document')
        acceptEncoding = res
          .request()
          .allHeaders()
          .then((h) => h['accept-encoding'] ?? '');
    });
    // ?debug=1: the debug hook appears when the game's code has loaded and started.
    await page.goto(`${base}/?debug=1`, { waitUntil: 'load' });
    await page.waitForFunction(() => '__snakepit' in window, undefined, { timeout: 30_000 });
    const entries = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return [...nav, ...res].map((e) => ({ url: e.name, wire: e.encodedBodySize, decoded: e.decodedBodySize }));
    });
    const files: WireFile[] = [];
    for (const e of entries) {
      const path = new URL(e.url).pathname;
      const kind = path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : path === '/' || path.endsWith('.html') ? 'html' : null;
      if (kind === null) continue;
      files.push({ url: path, kind, wire: e.wire, decoded: e.decoded, encoding: encodings.get(e.url) ?? '?' });
    }
    const sum = (k: WireFile['kind']) => files.filter((f) => f.kind === k).reduce((n, f) => n + f.wire, 0);
    return {
      files: files.sort((a, b) => b.wire - a.wire),
      js: sum('js'),
      css: sum('css'),
      html: sum('html'),
      acceptEncoding: await acceptEncoding,
    };
  } finally {
    await context.close();
  }
}
