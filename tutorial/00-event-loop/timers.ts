// Step 0, the event loop: one thread runs every callback in turn, and a callback runs to its end
// before the next one starts. Two timers share the thread: a tick every TICK_MS (the game loop)
// and, once, a piece of work (think: one player's request). While the work blocks, the tick
// cannot fire; it fires late, by about as long as the work took. With no blocking work it is on
// time. This file must not hide the stall: the work really is synchronous.
// Chapter: docs/tutorial/00-event-loop.md

/** How often the tick timer asks to run, in ms. */
export const TICK_MS = 50;
/** How many ticks one measurement waits for. */
const TICKS = 10;

/** Synchronous work for `ms` milliseconds: nothing else on this thread runs until it returns. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spinning, as a big JSON.parse, a path search or a sort of a long array would.
  }
}

/**
 * Runs a tick timer for TICKS ticks while a second timer, once, does `workMs` of blocking work.
 * Resolves with how late each tick fired, in ms: the time since the previous tick minus TICK_MS.
 */
export function measure(workMs: number): Promise<number[]> {
  return new Promise((resolve) => {
    const lateness: number[] = [];
    let previous = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      lateness.push(Math.max(0, now - previous - TICK_MS));
      previous = now;
      if (lateness.length === TICKS) {
        clearInterval(tick);
        resolve(lateness);
      }
    }, TICK_MS);
    // The second timer: due between the 2nd and the 3rd tick.
    setTimeout(() => block(workMs), TICK_MS * 2.5);
  });
}

const row = (lateness: number[]) => `${lateness.map((ms) => Math.round(ms).toString().padStart(4)).join('')} ms`;

/** What `npm run step -- 0` runs: the same two timers without, then with, blocking work. */
export async function main(workMs = 300): Promise<void> {
  console.log(`Two timers on one thread: a tick every ${TICK_MS} ms, and once some work.`);
  console.log('How late each tick fired:');
  console.log(`  ${'no other work:'.padEnd(28)}${row(await measure(0))}`);
  console.log(`  ${`${workMs} ms of blocking work:`.padEnd(28)}${row(await measure(workMs))}`);
  console.log('While the work ran, nothing else could: not the tick, not any other player.');
}
