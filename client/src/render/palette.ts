// Colours. Snakes are told apart by colour (by player id), and the board stays dark and quiet
// so snakes and food stand out. Chosen to stay distinct for the common colour-blindnesses
// as far as ten colours can.

export const BOARD_BG = 0x111821;
export const BOARD_LINE = 0x18222d;
export const BOARD_EDGE = 0x2b3a4a;
/** A wrapping edge: cooler and dimmer than a wall, drawn dashed (board.ts). */
export const BOARD_EDGE_WRAP = 0x2f6f78;
export const STONE = 0x5b6675;
export const FOOD_TEXT = 0xffd166;
export const FOOD_GLOW = 0x3a2f12;

const SNAKES = [0x5ee27a, 0x4cc9f0, 0xf72585, 0xffb703, 0xb388ff, 0xff6b35, 0x2ec4b6, 0xe9ff70, 0xff8fab, 0x90a4ff];

export function snakeColour(id: number): number {
  return SNAKES[(id - 1 + SNAKES.length) % SNAKES.length]!;
}

export function cssColour(colour: number): string {
  return `#${colour.toString(16).padStart(6, '0')}`;
}
