// Raw measurements for `npm run bench`, served only with BENCH_ENDPOINTS=1: exact percentiles of
// the last ticks' duration and lateness (the /metrics histograms only have buckets), the
// server's own counters, and the two usual suspects when ticks run late: garbage-collection
// pauses and event-loop delay. POST /bench/reset starts a fresh window after warm-up.
// Tutorial: docs/tutorial/08-measuring.md

import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ServerStats } from '../stats.js';

export async function benchRoutes(app: FastifyInstance, opts: { stats: ServerStats }): Promise<void> {
  const { stats } = opts;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      if (e.duration > gc.maxMs) gc.maxMs = e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  app.addHook('onClose', async () => {
    loop.disable();
    observer.disconnect();
  });

  app.get('/bench/ticks', async () => ({
    ...stats.samples.summary(),
    ticks: stats.ticks,
    ticksMissed: stats.ticksMissed,
    messagesIn: stats.messagesIn,
    messagesOut: stats.messagesOut,
    bytesOut: stats.bytesOut,
    sendsSkipped: stats.sendsSkipped,
    slowDropped: stats.slowDropped,
    gcCount: gc.count,
    gcTotalMs: gc.totalMs,
    gcMaxMs: gc.maxMs,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  }));
  app.post('/bench/reset', async () => {
    stats.samples.reset();
    loop.reset();
    gc.count = 0;
    gc.totalMs = 0;
    gc.maxMs = 0;
    return { ok: true };
  });
}
