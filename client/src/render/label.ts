// Labels (the names by the heads, the digits on food, the "+N" of food eaten) drawn by the
// browser's own canvas 2D into a texture that a Sprite shows. Not pixi's Text: that brings pixi's
// whole text system (styles, metrics, word wrap, tagged text, its own texture pipe) into the
// JavaScript every player downloads, for a few labels of one line. Laid out as Text lays out one
// line (the box, the baseline), so a Sprite with the same anchor sits where the Text sat.
// Must not: be made per frame (a label is a canvas and a texture upload); callers make each once.
// Tutorial: docs/tutorial/04-drawing.md

import { CanvasSource, Texture } from 'pixi.js';
import { cssColour } from './palette.ts';

export interface LabelStyle {
  /** A CSS font: weight, size in px, families. */
  readonly font: string;
  readonly fill: number;
  /** An outline round the letters (round joins), `width` in CSS px. */
  readonly stroke?: { readonly color: number; readonly width: number };
}

/** A disc drawn under the label, which is centred on it; `radius` in CSS px. */
export interface LabelDisc {
  readonly radius: number;
  readonly color: number;
  readonly alpha: number;
}

/**
 * Measures a font's ascent and descent as pixi's Text does: on letters that reach high and low,
 * so every label in one font has the same height and baseline, whatever its letters.
 */
const METRICS_SAMPLE = '|\u00c9q\u00c5M';

/**
 * A texture of `text` drawn in `style` at `resolution` device px per CSS px. Alone, the texture
 * is the text's box (stroke included); on a `disc`, it is the disc's square with the text's box
 * centred on it.
 */
export function labelTexture(text: string, style: LabelStyle, resolution: number, disc?: LabelDisc): Texture {
  const canvas = document.createElement('canvas');
  let ctx = context(canvas);
  ctx.font = style.font;
  const font = ctx.measureText(METRICS_SAMPLE);
  const ascent = font.actualBoundingBoxAscent;
  const stroke = style.stroke?.width ?? 0;
  const boxW = ctx.measureText(text).width + stroke;
  const boxH = ascent + font.actualBoundingBoxDescent + stroke;
  const w = Math.max(1, Math.ceil(disc ? 2 * disc.radius : boxW));
  const h = Math.max(1, Math.ceil(disc ? 2 * disc.radius : boxH));
  canvas.width = Math.ceil(w * resolution);
  canvas.height = Math.ceil(h * resolution);
  ctx = context(canvas); // resizing reset its state
  ctx.scale(resolution, resolution);
  if (disc) {
    ctx.globalAlpha = disc.alpha;
    ctx.fillStyle = cssColour(disc.color);
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, disc.radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  const x = (disc ? (w - boxW) / 2 : 0) + stroke / 2;
  const y = (disc ? (h - boxH) / 2 : 0) + stroke / 2 + ascent;
  ctx.font = style.font;
  if (style.stroke) {
    ctx.lineWidth = stroke;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = cssColour(style.stroke.color);
    ctx.strokeText(text, x, y);
  }
  ctx.fillStyle = cssColour(style.fill);
  ctx.fillText(text, x, y);
  return new Texture({ source: new CanvasSource({ resource: canvas, resolution }) });
}

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('labelTexture: no 2D canvas context');
  return ctx;
}
