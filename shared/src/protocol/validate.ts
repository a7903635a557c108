// The one door every client message comes in by: bytes -> a checked ClientMessage, or a reason
// the sender can read. Nothing a client sends gets past here unchecked, and nothing here throws.
// Server-only (the schema compiler generates code at start-up), hence its own entry point,
// `@snakepit/shared/validate`, so the browser bundle never carries it.
// Tutorial: docs/tutorial/03-state-sync.md

import { TypeCompiler, ValueErrorType } from '@sinclair/typebox/compiler';
import { type Codec, type Frame, jsonCodec } from './codec.js';
import { ClientMessage } from './messages.js';

const check = TypeCompiler.Compile(ClientMessage);
// One checker per message type, so a refusal can speak about the message the client meant.
const checkByType = new Map(ClientMessage.anyOf.map((schema) => [schema.properties.type.const, TypeCompiler.Compile(schema)]));

export type ParseResult =
  | { readonly ok: true; readonly msg: ClientMessage }
  /** `garbage`: the bytes are not even a value (bad JSON, bad UTF-8), as opposed to a wrong message. */
  | { readonly ok: false; readonly reason: string; readonly garbage: boolean };

export function parseClientMessage(data: Frame, codec: Codec = jsonCodec): ParseResult {
  let value: unknown;
  try {
    value = codec.decodeClient(data);
  } catch {
    return { ok: false, reason: `not valid ${codec.name}`, garbage: true };
  }
  if (check.Check(value)) return { ok: true, msg: value };
  return { ok: false, reason: explain(value), garbage: false };
}

function explain(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a message must be an object with a "type"';
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return 'a message must have a string "type"';
  const checker = checkByType.get(type as ClientMessage['type']);
  if (!checker) return `unknown message type "${type.slice(0, 32)}"`;
  const first = checker.Errors(value).First();
  if (!first) return `${type}: invalid`;
  // A field whose schema describes its values (turn's seq, ping's id) is explained in those words.
  const wanted = first.schema.description;
  if (typeof wanted === 'string') {
    return first.type === ValueErrorType.ObjectRequiredProperty
      ? `${type}: ${first.path} is missing: it must be ${wanted}`
      : `${type}: ${first.path} must be ${wanted}`;
  }
  return `${type}: ${first.path || '/'} ${first.message}`;
}
