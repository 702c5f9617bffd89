import { EventTypeRegistry } from './registry.js';
import { channelInfo } from './types/channelInfo.js';
import { domOperations } from './types/dom/index.js';
import { jsonPatch } from './types/jsonPatch.js';
import { yjsUpdate } from './types/yjsUpdate.js';

/** The event types every xsync client understands. */
export const BUILTIN_EVENT_TYPES = [yjsUpdate, jsonPatch, domOperations, channelInfo] as const;

/** A registry holding the built-in types; register plugin types on it. */
export function createRegistry(): EventTypeRegistry {
  const registry = new EventTypeRegistry();
  for (const type of BUILTIN_EVENT_TYPES) registry.register(type as never);
  return registry;
}
