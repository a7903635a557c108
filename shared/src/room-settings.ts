// What a room's creator may choose: board size, speed, walls, stones and bots. The choices travel in
// the invite's URL (`?room=x&size=l&speed=15&walls=wrap&stones=some`), the join screen offers
// them, and the server checks them before the upgrade. Each is a short word so a link stays
// readable; this table is the one list the page, the server and the docs read.
// A choice left out takes the server's default (its GRID_WIDTH, TICK_RATE, ... settings).
// Must not: decide anything for a room that already exists; its settings are fixed at creation.
// Tutorial: docs/tutorial/02-rules.md

import { type Walls, WALL_MODES } from './board.js';

/** Board sizes, in cells. */
export const BOARD_SIZES = {
  s: { width: 40, height: 27, label: 'small' },
  m: { width: 60, height: 40, label: 'medium' },
  l: { width: 90, height: 60, label: 'large' },
} as const;
export type BoardSize = keyof typeof BOARD_SIZES;

/** Speeds, in ticks per second. */
export const SPEEDS = [5, 10, 15] as const;
export type Speed = (typeof SPEEDS)[number];

/** Stones: none, or about one cell in STONE_CELLS. */
export const STONE_LEVELS = ['off', 'some'] as const;
export type StoneLevel = (typeof STONE_LEVELS)[number];
export const STONE_CELLS = 80;

/** Bots: the server's players keep a room with a person in it at this many snakes (0: no bots). */
export const BOT_SNAKES = [0, 4, 8] as const;
export type BotSnakes = (typeof BOT_SNAKES)[number];

/** The choices as they appear in a URL. Every field may be left out. */
export interface RoomChoice {
  readonly size?: BoardSize;
  readonly speed?: Speed;
  readonly walls?: Walls;
  readonly stones?: StoneLevel;
  readonly bots?: BotSnakes;
}

/** A room's settings once made: what the rules and the loop run with, and what the room list shows. */
export interface RoomSettings {
  readonly width: number;
  readonly height: number;
  readonly walls: Walls;
  /** Ticks per second. */
  readonly tickRate: number;
  /** Stone cells placed when the room was created. */
  readonly stones: number;
  /**
   * While a person plays, bots join until the room has this many snakes; 0 for none. Left out
   * where it is not known (a page reads the rest from the welcome).
   */
  readonly bots?: number;
}

/** The URL parameters, with the values each accepts, for messages and docs. */
export const ROOM_CHOICES = {
  size: Object.keys(BOARD_SIZES) as BoardSize[],
  speed: SPEEDS.map(String),
  walls: [...WALL_MODES],
  stones: [...STONE_LEVELS],
  bots: BOT_SNAKES.map(String),
} as const;

export type ChoiceResult = { readonly ok: true; readonly choice: RoomChoice } | { readonly ok: false; readonly message: string };

type Query = Readonly<Record<string, unknown>>;

/** Reads the choices out of a parsed query string; a bad value is refused with what is allowed. */
export function parseRoomChoice(query: Query): ChoiceResult {
  const choice: { size?: BoardSize; speed?: Speed; walls?: Walls; stones?: StoneLevel; bots?: BotSnakes } = {};
  for (const key of Object.keys(ROOM_CHOICES) as (keyof typeof ROOM_CHOICES)[]) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    const allowed: readonly string[] = ROOM_CHOICES[key];
    if (typeof raw !== 'string' || !allowed.includes(raw)) {
      const shown = typeof raw === 'string' ? `"${raw.slice(0, 16)}"` : 'a repeated value';
      return { ok: false, message: `${key} must be one of ${allowed.join(', ')}, not ${shown}` };
    }
    if (key === 'size') choice.size = raw as BoardSize;
    else if (key === 'speed') choice.speed = Number(raw) as Speed;
    else if (key === 'walls') choice.walls = raw as Walls;
    else if (key === 'stones') choice.stones = raw as StoneLevel;
    else choice.bots = Number(raw) as BotSnakes;
  }
  return { ok: true, choice };
}

/** The settings a new room gets from `choice`, the rest from the server's `defaults`. */
export function resolveSettings(choice: RoomChoice, defaults: RoomSettings): RoomSettings {
  const size = choice.size ? BOARD_SIZES[choice.size] : defaults;
  const stones =
    choice.stones === undefined
      ? choice.size
        ? 0
        : defaults.stones
      : choice.stones === 'off'
        ? 0
        : Math.floor((size.width * size.height) / STONE_CELLS);
  const settings: RoomSettings = {
    width: size.width,
    height: size.height,
    walls: choice.walls ?? defaults.walls,
    tickRate: choice.speed ?? defaults.tickRate,
    stones,
  };
  const bots = choice.bots ?? defaults.bots;
  return bots === undefined ? settings : { ...settings, bots };
}

/** The query string for an invite that creates a room with these choices (empty when none). */
export function choiceQuery(choice: RoomChoice): string {
  const parts: string[] = [];
  if (choice.size) parts.push(`size=${choice.size}`);
  if (choice.speed) parts.push(`speed=${choice.speed}`);
  if (choice.walls) parts.push(`walls=${choice.walls}`);
  if (choice.stones) parts.push(`stones=${choice.stones}`);
  if (choice.bots !== undefined) parts.push(`bots=${choice.bots}`);
  return parts.join('&');
}

/** A short line for people: "60x40 · 10/s · walls wrap · 30 stones · bots up to 4". */
export function describeSettings(s: RoomSettings): string {
  const parts = [`${s.width}x${s.height}`, `${s.tickRate}/s`, s.walls === 'wrap' ? 'walls wrap' : 'solid walls'];
  if (s.stones > 0) parts.push(`${s.stones} stones`);
  if (s.bots) parts.push(`bots up to ${s.bots}`);
  return parts.join(' · ');
}
