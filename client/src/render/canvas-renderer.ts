// pixi's Canvas 2D renderer, for browsers without WebGL. Its own module so that the page loads it
// only when it needs it (scene.ts imports it dynamically): the bundler puts it in a chunk of its
// own, out of the JavaScript every player downloads at start.
// Must not: be imported statically from anywhere.
// Tutorial: docs/tutorial/04-drawing.md

export { CanvasRenderer } from 'pixi.js';
