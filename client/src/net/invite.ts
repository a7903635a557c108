// What a link to a room says: the room, and the settings a room created from the link gets
// (`/?room=x&size=l&speed=15&walls=wrap&stones=some`). The page reads it at start and writes
// it back when the player presses Play, so the address bar is always the invite to copy.
// The choices are read with the shared parseRoomChoice, the same check the server makes.
// Must not: touch the DOM or decide anything about a room that already exists.
// Tutorial: docs/tutorial/04-drawing.md

import { DEFAULT_ROOM, ROOM_CHOICES, type RoomChoice, choiceQuery, isValidRoomId, parseRoomChoice } from '@snakepit/shared';

export interface Invite {
  readonly room: string;
  /** The valid choices in the link; a bad one is left out and reported in `problem`. */
  readonly choice: RoomChoice;
  readonly problem: string | null;
}

const CHOICE_KEYS = Object.keys(ROOM_CHOICES) as (keyof typeof ROOM_CHOICES)[];

export function readInvite(params: URLSearchParams): Invite {
  const asked = params.get('room') ?? '';
  let choice: RoomChoice = {};
  let problem: string | null = null;
  // One key at a time, so a bad size does not throw away a good speed.
  for (const key of CHOICE_KEYS) {
    const values = params.getAll(key);
    if (values.length === 0) continue;
    const parsed = parseRoomChoice({ [key]: values.length === 1 ? values[0] : values });
    if (parsed.ok) choice = { ...choice, ...parsed.choice };
    else problem ??= `This link's room settings are not valid: ${parsed.message}.`;
  }
  return { room: isValidRoomId(asked) ? asked : DEFAULT_ROOM, choice, problem };
}

/** Puts `room` and `choice` into `params`, replacing any choices already there. */
export function writeInvite(params: URLSearchParams, room: string, choice: RoomChoice): void {
  params.set('room', room);
  for (const key of CHOICE_KEYS) params.delete(key);
  for (const [key, value] of new URLSearchParams(choiceQuery(choice))) params.set(key, value);
}

/** The link to send: this page's address without the switches only a developer uses. */
export function inviteLink(href: string): string {
  const url = new URL(href);
  for (const key of ['debug', 'lag', 'jitter', 'predict', 'buffer', 'wire']) url.searchParams.delete(key);
  return url.href;
}

/** How the page can hand over the link: the system share sheet, the clipboard, or by showing it. */
export type ShareWay = 'share' | 'clipboard' | 'show';

/**
 * The share sheet on touch screens that have one (phones), the clipboard where the browser lets
 * the page write it (not on plain http to a LAN address: no secure context), else the link shown
 * ready to select and copy.
 */
export function shareWay(can: { readonly share: boolean; readonly clipboard: boolean; readonly touch: boolean }): ShareWay {
  if (can.share && can.touch) return 'share';
  return can.clipboard ? 'clipboard' : 'show';
}
