// Putting a pooled display object away without hiding it. pixi rebuilds a render group's whole
// draw list on the frame after any object in it is shown or hidden (`visible`), while moving,
// scaling or tinting an object only rewrites its own vertices. Pieces that come and go every
// tick (body pieces, food, effects) are therefore put away by shrinking them to nothing, and
// brought back by giving them a size again: they stay in the draw list as triangles that cover
// no pixel. `npm run bench -- --client` measures the difference (bench/RESULTS.md).
// Tutorial: docs/tutorial/04-drawing.md

import type { Container } from 'pixi.js';

export function putAway(o: Container): void {
  o.scale.set(0);
}
