// The seam between the rooms and a cluster: before a socket is let into a room, the game socket
// asks a RoomOwnership whether this instance may run that room. A single process has no
// RoomOwnership at all (routes/ws.ts skips the question); a cluster member (cluster/member.ts)
// answers from its room leases in Redis. Must not: know about sockets, rooms or the registry's
// insides; it says yes, "elsewhere" (with the owner) or "unavailable", nothing else.
// Tutorial: docs/tutorial/09-scaling-out.md (README: "Past one machine")

/**
 * Close code for a socket that reached an instance while another live instance runs its room:
 * a private-use code (4000-4999 belong to applications). The page retries with backoff, and
 * nginx's routing agrees again once the instance set is stable (README: "Past one machine").
 */
export const CLOSE_ELSEWHERE = 4409;
export const ELSEWHERE_REASON = 'room is on another instance, retry';

export type Claim =
  /** This instance holds the room's lease: the socket may join (and the room be made or restored here). */
  | { readonly ok: true }
  /** Another live instance runs the room. */
  | { readonly ok: false; readonly why: 'elsewhere'; readonly owner: string }
  /** Draining, or the shared store cannot be reached: try again in a moment. */
  | { readonly ok: false; readonly why: 'unavailable'; readonly reason: string };

export interface RoomOwnership {
  /** May this instance run `room` now? Takes the room's lease when nobody holds it. */
  claim(room: string): Promise<Claim>;
  /** Does this instance hold `room`'s lease at this moment (no round trip)? */
  holds(room: string): boolean;
}
