// Colours. Snakes are told apart by colour (by player id), and the board stays dark and quiet
// so snakes and food stand out. Chosen to stay distinct for the common colour-blindnesses
// as far as ten colours can.

export const BOARD_BG = 0x111821;
export const BOARD_LINE = 0x18222d;
/** The wall: at least 3:1 against BOARD_BG (WCAG's contrast for shapes that matter; tested). */
export const BOARD_EDGE = 0x6a8299;
/** A wrapping edge: cooler than a wall, drawn dashed (board.ts); also at least 3:1. */
export const BOARD_EDGE_WRAP = 0x3d97a3;
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

/** WCAG 2 contrast ratio of two 0xRRGGBB colours: 1 (same) to 21 (black on white). */
export function contrastRatio(a: number, b: number): number {
  const lum = (c: number) => {
    const [r, g, bl] = [(c >> 16) & 255, (c >> 8) & 255, c & 255].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
