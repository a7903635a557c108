// The camera and the palette without a DOM: when the board fits it stays whole and still; when it would draw
// cells under 14 px it follows the head at 16 px cells, ahead of the heading, easing, and cuts
// (rather than glides across the board) when the head wraps round an edge.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BOARD_BG, BOARD_EDGE, BOARD_EDGE_WRAP, contrastRatio } from '../src/render/palette.ts';
import { Camera, FIT_MIN_CELL_PX, FOLLOW_CELL_PX, aimAt, fitCellPx } from '../src/render/camera.ts';

const DESKTOP = { width: 1280, height: 720 };
const DESKTOP_INSETS = { top: 52, right: 228, bottom: 28, left: 12 };
const PHONE = { width: 390, height: 844 };
const PHONE_INSETS = { top: 44, right: 6, bottom: 6, left: 6 };

describe('camera', () => {
  test('a board that fits is shown whole, centred in the free area, and does not move', () => {
    const cam = new Camera();
    const v = cam.layout(DESKTOP, DESKTOP_INSETS, 60, 40);
    assert.equal(v.follow, false);
    assert.equal(v.cellPx, fitCellPx(DESKTOP, DESKTOP_INSETS, 60, 40));
    assert.ok(v.cellPx >= FIT_MIN_CELL_PX);
    // Centred: equal space left and right of the board within the free area.
    const left = v.x - DESKTOP_INSETS.left;
    const right = DESKTOP.width - DESKTOP_INSETS.right - (v.x + 60 * v.cellPx);
    assert.ok(Math.abs(left - right) <= 1);
    assert.deepEqual(cam.update({ x: 5.5, y: 5.5 }, 1, 16), v);
  });

  test('a phone follows the head at 16 px cells, ahead of where it is going', () => {
    const cam = new Camera();
    const v = cam.layout(PHONE, PHONE_INSETS, 60, 40);
    assert.equal(v.follow, true);
    assert.equal(v.cellPx, FOLLOW_CELL_PX);
    // The first frame with a head jumps to it (looking ahead to the right).
    const head = { x: 10.5, y: 20.5 };
    const at = cam.update(head, 1, 16);
    const centreX = PHONE_INSETS.left + (PHONE.width - PHONE_INSETS.left - PHONE_INSETS.right) / 2;
    const headX = at.x + head.x * at.cellPx;
    assert.ok(headX < centreX, 'heading right, the head sits left of centre');
    assert.ok(centreX - headX <= 4 * FOLLOW_CELL_PX + 1);
    const aim = aimAt(head, 1, PHONE, PHONE_INSETS);
    assert.ok(aim.x > head.x && aim.y === head.y);
  });

  test('it eases toward a moving head instead of jumping, and cuts across a wrap', () => {
    const cam = new Camera();
    cam.layout(PHONE, PHONE_INSETS, 60, 40);
    const a = cam.update({ x: 10.5, y: 20.5 }, 1, 16);
    const b = cam.update({ x: 11.5, y: 20.5 }, 1, 16);
    const moved = a.x - b.x;
    assert.ok(moved > 0 && moved < FOLLOW_CELL_PX, `moved ${moved} px: less than the head's one cell`);
    // Many frames later it has caught up with where it aims.
    let v = b;
    for (let i = 0; i < 200; i++) v = cam.update({ x: 11.5, y: 20.5 }, 1, 16);
    const aim = aimAt({ x: 11.5, y: 20.5 }, 1, PHONE, PHONE_INSETS);
    const centreX = PHONE_INSETS.left + (PHONE.width - PHONE_INSETS.left - PHONE_INSETS.right) / 2;
    assert.ok(Math.abs(v.x + aim.x * FOLLOW_CELL_PX - centreX) <= 1);
    // The head wraps from the right edge to the left: the view is there at once.
    const w = cam.update({ x: 0.5, y: 20.5 }, 1, 16);
    const wrapAim = aimAt({ x: 0.5, y: 20.5 }, 1, PHONE, PHONE_INSETS);
    assert.ok(Math.abs(w.x + wrapAim.x * FOLLOW_CELL_PX - centreX) <= 1);
  });

  test('without a snake the view stays where it was', () => {
    const cam = new Camera();
    cam.layout(PHONE, PHONE_INSETS, 60, 40);
    const v = cam.update({ x: 30.5, y: 5.5 }, 0, 16);
    assert.deepEqual(cam.update(null, 0, 16), v);
  });
});

describe('palette', () => {
  test('the board edge, solid or wrapping, stands out from the board at 3:1 or more', () => {
    assert.ok(contrastRatio(BOARD_EDGE, BOARD_BG) >= 3, `wall ${contrastRatio(BOARD_EDGE, BOARD_BG).toFixed(2)}:1`);
    assert.ok(contrastRatio(BOARD_EDGE_WRAP, BOARD_BG) >= 3, `wrap ${contrastRatio(BOARD_EDGE_WRAP, BOARD_BG).toFixed(2)}:1`);
    // The formula itself: black on white is 21:1, a colour against itself 1:1.
    assert.equal(Math.round(contrastRatio(0x000000, 0xffffff)), 21);
    assert.equal(contrastRatio(BOARD_BG, BOARD_BG), 1);
  });
});
