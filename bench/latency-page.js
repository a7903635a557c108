// Injected into the game page by bench/latency.ts (page.addInitScript), so the timing happens in
// the page and not in Playwright's round trips: the keydown's time (a capture listener, ahead of
// the game's own), then every animation frame a read of window.__snakepit AFTER that frame's
// drawing (a message posted from requestAnimationFrame runs once the frame's callbacks, the
// game's render included, are done), until the drawn head has moved the new way.
// Must not: change the game (it only reads the debug hook). Plain JS: it goes to the browser as is.
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md says what every number means.
(() => {
  /** The drawn head counts as moving the new way once it is this far (cells) along the new axis. */
  const MOVED_CELLS = 0.05;
  /** [index into [x, y], sign], as AXIS in bench/latency-report.ts. */
  const AXIS = { up: [1, -1], right: [0, 1], down: [1, 1], left: [0, -1] };
  const hook = () => window.__snakepit;

  let probe = null;
  /** The last armed probe's result, finished or not. */
  let lastResult = Promise.resolve({ dropped: 'timeout' });
  let frames = 0;
  let lastFrameAt = 0;
  let intervals = [];

  addEventListener(
    'keydown',
    (e) => {
      if (!probe || probe.pressAt !== null || e.code !== probe.code) return;
      probe.pressAt = performance.now();
      probe.base = hook()?.me?.drawnHead ?? null;
    },
    { capture: true },
  );

  const finish = (p, result) => {
    if (probe === p) probe = null;
    p.resolve(result);
  };

  const check = (frameAt) => {
    const p = probe;
    if (!p || p.pressAt === null) return;
    const me = hook()?.me;
    if (!me?.alive) return finish(p, { dropped: 'died' });
    p.frames++;
    if (p.facingAt === null && me.facing === p.dir) {
      p.facingAt = frameAt;
      p.facingFrames = p.frames;
    }
    if (p.headAt === null && p.base && me.drawnHead) {
      const [i, sign] = AXIS[p.dir];
      if ((me.drawnHead[i] - p.base[i]) * sign > MOVED_CELLS) {
        p.headAt = frameAt;
        p.headFrames = p.frames;
      }
    }
    if (p.headAt !== null && p.facingAt !== null) {
      finish(p, { headMs: p.headAt - p.pressAt, facingMs: p.facingAt - p.pressAt, headFrames: p.headFrames, facingFrames: p.facingFrames });
    } else if (frameAt - p.pressAt > p.timeoutMs) finish(p, { dropped: 'timeout' });
  };

  const afterFrame = new MessageChannel();
  afterFrame.port1.onmessage = (e) => check(e.data);
  const onFrame = () => {
    const now = performance.now();
    frames++;
    if (lastFrameAt && intervals.length < 100_000) intervals.push(now - lastFrameAt);
    lastFrameAt = now;
    // Only frames that began after the key press can show its effect.
    if (probe && probe.pressAt !== null && now > probe.pressAt) afterFrame.port2.postMessage(now);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  Object.defineProperty(window, '__snakepitBench', {
    value: Object.freeze({
      /**
       * Watch for the next keydown of `code` turning the head `dir`; result() resolves with the
       * sample: ms from the keydown to the frame that drew the change, and that frame's number
       * (1 = the first frame begun after the keydown).
       */
      arm(dir, code, timeoutMs) {
        if (probe) finish(probe, { dropped: 'timeout' });
        const p = {
          dir,
          code,
          timeoutMs,
          pressAt: null,
          base: null,
          frames: 0,
          facingAt: null,
          facingFrames: 0,
          headAt: null,
          headFrames: 0,
          resolve: null,
          result: null,
        };
        p.result = new Promise((resolve) => {
          p.resolve = resolve;
        });
        probe = p;
        lastResult = p.result;
      },
      result: () => lastResult,
      frames: () => frames,
      /** The requestAnimationFrame intervals (ms) since the last call. */
      takeIntervals() {
        const out = intervals;
        intervals = [];
        return out;
      },
    }),
  });
})();
