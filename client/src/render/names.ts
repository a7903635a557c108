// Names by the heads, so in a busy room you can tell who is who. Drawn in screen space (a layer
// above the world, not inside it) at a fixed CSS size and the screen's pixel density, so they are
// crisp however the camera scales the board; each frame only moves them to follow the heads.
// Yours is marked (white, bold, with a star). A label (label.ts) is drawn when a name first shows
// or changes, never per frame, and kept while its player is in the room: a snake that dies and
// plays again gets its label back without drawing it (a canvas and a texture upload) again.
// Must not: redraw a label per frame, or read anything but what it is given.
// Tutorial: docs/tutorial/04-drawing.md

import type { MirrorSnake, PlayerView } from '@snakepit/shared';
import { Container, Sprite } from 'pixi.js';
import { labelTexture } from './label.ts';
import { snakeColour } from './palette.ts';

/** Label size in CSS px. */
const NAME_PX = 12;
/** How far above the head's centre the label's baseline sits, in cells. */
const ABOVE_CELLS = 0.75;

interface Label {
  readonly sprite: Sprite;
  /** What it says, for the debug hook. */
  readonly text: string;
  readonly key: string;
  /** The player's snake is on the board (else the label waits, hidden, for the next life). */
  onBoard: boolean;
}

/** Where a head is on the screen (CSS px), or null when it is not drawn. */
export type HeadOnScreen = (id: number) => { x: number; y: number } | null;

export class NameLayer {
  readonly view = new Container({ label: 'names' });
  readonly #labels = new Map<number, Label>();

  /** Per tick: a label for every snake on the board, made or remade only when its text changes. */
  sync(snakes: ReadonlyMap<number, MirrorSnake>, players: ReadonlyMap<number, PlayerView>, myId: number | null): void {
    for (const [id, label] of this.#labels) {
      if (!players.has(id)) {
        destroy(label);
        this.#labels.delete(id);
      } else label.onBoard = snakes.has(id);
    }
    for (const id of snakes.keys()) {
      const player = players.get(id);
      if (!player) continue;
      const mine = id === myId;
      const key = `${mine ? 1 : 0}${player.name}`;
      let label = this.#labels.get(id);
      if (label?.key !== key) {
        if (label) destroy(label);
        label = makeLabel(player.name, mine, id, key);
        this.#labels.set(id, label);
        this.view.addChild(label.sprite);
      }
      label.sprite.alpha = player.away ? 0.4 : 1;
    }
  }

  /** Per frame: each label over its head. `cellPx`: a cell's size on screen now. */
  frame(headAt: HeadOnScreen, cellPx: number): void {
    for (const [id, label] of this.#labels) {
      const at = label.onBoard ? headAt(id) : null;
      label.sprite.visible = at !== null;
      if (at) label.sprite.position.set(Math.round(at.x), Math.round(at.y - ABOVE_CELLS * cellPx));
    }
  }

  clear(): void {
    for (const label of this.#labels.values()) destroy(label);
    this.#labels.clear();
  }

  /** Labels of snakes on the board. */
  get count(): number {
    let n = 0;
    for (const label of this.#labels.values()) if (label.onBoard) n++;
    return n;
  }

  /** The names shown (of snakes on the board), for the debug hook. */
  get names(): string[] {
    return [...this.#labels.values()].filter((l) => l.onBoard).map((l) => l.text);
  }
}

function makeLabel(name: string, mine: boolean, id: number, key: string): Label {
  const text = mine ? `★ ${name}` : name;
  const style = {
    font: `${mine ? 800 : 600} ${NAME_PX}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`,
    fill: mine ? 0xffffff : lighten(snakeColour(id)),
    stroke: { color: 0x0b0f14, width: 3 },
  };
  const sprite = new Sprite(labelTexture(text, style, Math.min(window.devicePixelRatio || 1, 2) * 1.5));
  sprite.anchor.set(0.5, 1);
  return { sprite, text, key, onBoard: true };
}

/** Takes the label off the stage and frees its canvas and texture (each player has its own). */
function destroy(label: Label): void {
  label.sprite.destroy({ texture: true, textureSource: true });
}

/** Halfway to white: names stay in their snake's hue but read well on the dark board. */
function lighten(c: number): number {
  const mix = (v: number) => Math.round(v + (255 - v) * 0.45);
  return (mix((c >> 16) & 255) << 16) | (mix((c >> 8) & 255) << 8) | mix(c & 255);
}
