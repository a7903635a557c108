// What counts as a player name or a room id. The join screen checks as the player types and
// the server checks again on arrival (the client is never trusted); both use these functions.
// Tutorial: docs/tutorial/03-state-sync.md

import { NAME_MAX, ROOM_ID_PATTERN } from './constants.js';

/**
 * A name as it will be shown: control and format characters and lone surrogate halves removed,
 * runs of white space made one space, trimmed. Null when nothing is left or it is longer than NAME_MAX characters.
 */
export function normalizeName(raw: string): string | null {
  const name = raw
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const length = [...name].length;
  return length >= 1 && length <= NAME_MAX ? name : null;
}

export function isValidRoomId(id: string): boolean {
  return ROOM_ID_PATTERN.test(id);
}
