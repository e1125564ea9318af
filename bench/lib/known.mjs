// Known failures (bench/known-failures.json): reported, not yet fixed in the core. They are printed as KNOWN and
// do not fail a run unless --strict is given.
import { readFileSync } from 'node:fs';

const FILE = new URL('../known-failures.json', import.meta.url);

export function loadKnownFailures() {
  return JSON.parse(readFileSync(FILE, 'utf8')).entries;
}

/** The entry a failure matches (same kind, message starting with the entry's), or null. */
export function matchKnown(entries, kind, message) {
  return entries.find((entry) => entry.kind === kind && typeof message === 'string' && message.startsWith(entry.message)) ?? null;
}
