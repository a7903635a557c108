// Raw measurements for `npm run bench`, served only with BENCH_ENDPOINTS=1: exact percentiles of
// the last ticks' duration and lateness (the /metrics histograms only have buckets), and the
// server's own counters. POST /bench/reset starts a fresh measurement window after warm-up.
// Tutorial: docs/tutorial/03-server.md

import type { FastifyInstance } from 'fastify';
import type { ServerStats } from '../stats.js';

export async function benchRoutes(app: FastifyInstance, opts: { stats: ServerStats }): Promise<void> {
  const { stats } = opts;
  app.get('/bench/ticks', async () => ({
    ...stats.samples.summary(),
    ticks: stats.ticks,
    ticksMissed: stats.ticksMissed,
    messagesIn: stats.messagesIn,
    messagesOut: stats.messagesOut,
    bytesOut: stats.bytesOut,
    sendsSkipped: stats.sendsSkipped,
    slowDropped: stats.slowDropped,
  }));
  app.post('/bench/reset', async () => {
    stats.samples.reset();
    return { ok: true };
  });
}
