// What the game steps' pages share: reading a key as a direction, and drawing the board on a
// canvas from points (cell coordinates, fractional while a snake is between two cells in step 9).
// It only draws what it is given; the pages decide what that is.
// Chapter: docs/tutorial/02-rules.md

import type { Dir } from '../07-rules/rules.ts';

export type Point = readonly [x: number, y: number];
export interface Drawn {
  readonly id: number;
  /** Head first. */
  readonly points: readonly Point[];
}

const KEYS: Record<string, Dir> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  w: 'up',
  s: 'down',
  a: 'left',
  d: 'right',
};

export function keyDir(key: string): Dir | null {
  return KEYS[key] ?? null;
}

export function cellPoint(cell: number, width: number): Point {
  return [cell % width, Math.floor(cell / width)];
}

export function drawBoard(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  food: readonly number[],
  snakes: readonly Drawn[],
  me: number | null,
): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const size = Math.floor(Math.min(canvas.width / width, canvas.height / height));
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#444';
  ctx.strokeRect(0.5, 0.5, width * size - 1, height * size - 1);
  ctx.fillStyle = '#e33';
  for (const cell of food) {
    const [x, y] = cellPoint(cell, width);
    ctx.fillRect(x * size + size / 4, y * size + size / 4, size / 2, size / 2);
  }
  for (const snake of snakes) {
    ctx.fillStyle = snake.id === me ? '#4d4' : '#48f';
    snake.points.forEach(([x, y], i) => {
      const inset = i === 0 ? 0 : 2;
      ctx.fillRect(x * size + inset, y * size + inset, size - 2 * inset, size - 2 * inset);
    });
  }
}
