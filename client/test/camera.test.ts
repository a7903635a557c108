// The camera and the palette without a DOM: when the board fits it stays whole and still; when it would draw
// cells under 14 px it follows the head at 16 px cells, ahead of the heading, easing, and cuts
// (rather than glides across the board) when the head wraps round an edge.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BOARD_BG, BOARD_EDGE, BOARD_EDGE_WRAP, contrastRatio } from '../src/render/palette.ts';
import { Camera, FIT_MIN_CELL_PX, FOLLOW_CELL_PX, aimAt, clampCentre, fitCellPx } from '../src/render/camera.ts';

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
    // The head wraps from the right edge to the left: the view is there at once (as far left
    // as the board goes).
    const w = cam.update({ x: 0.5, y: 20.5 }, 1, 16);
    assert.equal(w.x, PHONE_INSETS.left);
  });

  test('it never shows past the board: near a wall the view stops and the head moves instead', () => {
    const cam = new Camera();
    cam.layout(PHONE, PHONE_INSETS, 60, 40);
    const right = PHONE.width - PHONE_INSETS.right;
    for (const head of [
      { x: 0.5, y: 0.5 },
      { x: 59.5, y: 39.5 },
      { x: 59.5, y: 0.5 },
      { x: 30.5, y: 20.5 },
    ]) {
      for (const dir of [0, 1, 2, 3]) {
        const c = new Camera();
        c.layout(PHONE, PHONE_INSETS, 60, 40);
        const v = c.update(head, dir, 16);
        assert.ok(v.x <= PHONE_INSETS.left, `head ${head.x},${head.y} dir ${dir}: gap of ${v.x - PHONE_INSETS.left} px left of the board`);
        assert.ok(v.x + 60 * v.cellPx >= right, `head ${head.x},${head.y} dir ${dir}: gap right of the board`);
        // The head itself is always in view.
        const hx = v.x + head.x * v.cellPx;
        assert.ok(hx >= PHONE_INSETS.left && hx <= right);
      }
    }
    // 40 rows of 16 px fit the phone's height: that axis stays centred, whatever the head does.
    const a = cam.update({ x: 30.5, y: 0.5 }, 0, 16);
    const b = cam.update({ x: 30.5, y: 39.5 }, 2, 16);
    const top = PHONE_INSETS.top + (PHONE.height - PHONE_INSETS.top - PHONE_INSETS.bottom - 40 * 16) / 2;
    assert.ok(Math.abs(a.y - top) <= 1 && Math.abs(b.y - top) <= 1);
  });

  test('clampCentre() keeps half the visible span from each edge, or centres a board that fits', () => {
    // The phone shows (390 - 12) / 16 = 23.6 cells across and (844 - 50) / 16 = 49.6 down.
    const half = (390 - 12) / 16 / 2;
    assert.deepEqual(clampCentre({ x: 2, y: 2 }, PHONE, PHONE_INSETS, 60, 40), { x: half, y: 20 });
    assert.deepEqual(clampCentre({ x: 59, y: 39 }, PHONE, PHONE_INSETS, 60, 40), { x: 60 - half, y: 20 });
    assert.deepEqual(clampCentre({ x: 30, y: 7 }, PHONE, PHONE_INSETS, 60, 40), { x: 30, y: 20 });
    // A tall board on the same phone is clamped on both axes.
    assert.deepEqual(clampCentre({ x: 30, y: 1 }, PHONE, PHONE_INSETS, 60, 120), { x: 30, y: (844 - 50) / 16 / 2 });
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
