import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, READ, createReferenceTracker, type TraceMap } from '../eslint-utils.js';
import { splitWords } from './ast.js';

/**
 * How often a value changes. The clock classes are ordered from fastest to slowest; `user` changes per end
 * user (or session); `session` and `process` are computed once per session object / process start.
 */
export type Frequency = 'request' | 'second' | 'minute' | 'hour' | 'day' | 'user' | 'session' | 'process';

/** Frequencies the rules can be told to ignore (`session` and `process` are never reported). */
export const REPORTABLE_FREQUENCIES = ['request', 'second', 'minute', 'hour', 'day', 'user'] as const;
export type ReportableFrequency = (typeof REPORTABLE_FREQUENCIES)[number];

const CLOCK_ORDER = ['request', 'second', 'minute', 'hour', 'day'] as const;
type ClockFrequency = (typeof CLOCK_ORDER)[number];

/** Human wording for messages: "changes on every request", "changes every minute", … */
export const FREQUENCY_WORDING: Record<Frequency, string> = {
  request: 'changes on every request',
  second: 'changes every second',
  minute: 'changes every minute',
  hour: 'changes every hour',
  day: 'changes daily',
  user: 'differs per user or session',
  session: 'is computed once per session',
  process: 'is computed once per process start',
};

/** The slower of two clock frequencies (`coarser('request', 'day')` → `'day'`). */
export function coarser(a: ClockFrequency, b: ClockFrequency): ClockFrequency {
  return CLOCK_ORDER.indexOf(a) >= CLOCK_ORDER.indexOf(b) ? a : b;
}

export function isClockFrequency(frequency: Frequency): frequency is ClockFrequency {
  return (CLOCK_ORDER as readonly string[]).includes(frequency);
}

/** What kind of value a tracked source produces. */
export type SourceKind =
  | 'date' // a JS Date (`new Date()` without arguments)
  | 'moment' // a moment/dayjs object
  | 'luxon' // a luxon DateTime
  | 'temporal' // a Temporal object
  | 'scalar' // a number or string (Date.now(), randomUUID(), …)
  | 'date-fns' // a date-fns function: its result depends on its date argument
  | 'file'; // a file read (not volatile; prefer-static-prompt uses it)

export interface SourceInfo {
  kind: SourceKind;
  /** How the call is shown in messages (`Date.now()`, `crypto.randomUUID()`). */
  label: string;
  /** Frequency of the produced value; for date-like kinds, its precision. */
  frequency: ClockFrequency;
  /** The call only produces a changing value without arguments (`moment()`, not `moment(x)`). */
  argless?: boolean;
  /** For `date-fns`: the function name (`format`, `startOfDay`, …). */
  name?: string;
}

const scalar = (label: string, frequency: ClockFrequency = 'request'): { [CALL]: SourceInfo } => ({
  [CALL]: { kind: 'scalar', label, frequency },
});

const cryptoMembers = {
  randomUUID: scalar('crypto.randomUUID()'),
  getRandomValues: scalar('crypto.getRandomValues()'),
  randomBytes: scalar('crypto.randomBytes()'),
  randomInt: scalar('crypto.randomInt()'),
};

const GLOBAL_SOURCES: TraceMap<SourceInfo> = {
  Date: {
    [CONSTRUCT]: { kind: 'date', label: 'new Date()', frequency: 'request', argless: true },
    [CALL]: { kind: 'scalar', label: 'Date()', frequency: 'second' },
    now: scalar('Date.now()'),
  },
  performance: { now: scalar('performance.now()') },
  process: { hrtime: { ...scalar('process.hrtime()'), bigint: scalar('process.hrtime.bigint()') }, uptime: scalar('process.uptime()') },
  Math: { random: scalar('Math.random()') },
  crypto: { ...cryptoMembers, webcrypto: cryptoMembers },
  Temporal: {
    Now: {
      instant: { [CALL]: { kind: 'temporal', label: 'Temporal.Now.instant()', frequency: 'request' } },
      zonedDateTimeISO: { [CALL]: { kind: 'temporal', label: 'Temporal.Now.zonedDateTimeISO()', frequency: 'request' } },
      plainDateTimeISO: { [CALL]: { kind: 'temporal', label: 'Temporal.Now.plainDateTimeISO()', frequency: 'request' } },
      plainTimeISO: { [CALL]: { kind: 'temporal', label: 'Temporal.Now.plainTimeISO()', frequency: 'request' } },
      plainDateISO: { [CALL]: { kind: 'temporal', label: 'Temporal.Now.plainDateISO()', frequency: 'day' } },
      epochMilliseconds: scalar('Temporal.Now.epochMilliseconds()'),
    },
  },
};

const momentSource = (label: string): TraceMap<SourceInfo> => ({
  [CALL]: { kind: 'moment', label, frequency: 'request', argless: true },
  utc: { [CALL]: { kind: 'moment', label: `${label.replace('()', '')}.utc()`, frequency: 'request', argless: true } },
});

const DATE_FNS_FUNCTIONS = [
  'format', 'formatISO', 'formatISO9075', 'formatRFC3339', 'formatRFC7231', 'formatRelative', 'formatDistance',
  'formatDistanceToNow', 'lightFormat', 'intlFormat', 'startOfDay', 'startOfHour', 'startOfMinute', 'startOfSecond',
  'startOfWeek', 'startOfMonth', 'startOfYear', 'endOfDay', 'endOfHour', 'endOfMinute', 'addDays', 'addHours',
  'addMinutes', 'subDays', 'subHours', 'subMinutes', 'getUnixTime', 'getTime',
];

const dateFns: TraceMap<SourceInfo> = { [ESM]: true };
for (const name of DATE_FNS_FUNCTIONS) {
  (dateFns as Record<string, unknown>)[name] = {
    [CALL]: { kind: 'date-fns', label: `${name}()`, frequency: 'request', name } satisfies SourceInfo,
  };
}

const readFile = (label: string): { [CALL]: SourceInfo } => ({ [CALL]: { kind: 'file', label, frequency: 'request' } });
const fsModule: TraceMap<SourceInfo> = {
  [ESM]: true,
  readFileSync: readFile('readFileSync()'),
  readFile: readFile('readFile()'),
  promises: { readFile: readFile('fs.promises.readFile()') },
};
(fsModule as Record<string, unknown>).default = { readFileSync: fsModule.readFileSync, readFile: fsModule.readFile, promises: fsModule.promises };
const fsPromises: TraceMap<SourceInfo> = { [ESM]: true, readFile: readFile('readFile()') };
(fsPromises as Record<string, unknown>).default = { readFile: fsPromises.readFile };

const cryptoModule: TraceMap<SourceInfo> = { [ESM]: true, ...cryptoMembers };
(cryptoModule as Record<string, unknown>).default = cryptoMembers;

const uuidModule: TraceMap<SourceInfo> = {
  [ESM]: true,
  v1: scalar('uuid.v1()'),
  v4: scalar('uuid.v4()'),
  v6: scalar('uuid.v6()'),
  v7: scalar('uuid.v7()'),
};
(uuidModule as Record<string, unknown>).default = { v1: uuidModule.v1, v4: uuidModule.v4, v6: uuidModule.v6, v7: uuidModule.v7 };

const MODULE_SOURCES: TraceMap<SourceInfo> = {
  crypto: cryptoModule,
  'node:crypto': cryptoModule,
  uuid: uuidModule,
  nanoid: { [ESM]: true, nanoid: scalar('nanoid()') },
  'nanoid/non-secure': { [ESM]: true, nanoid: scalar('nanoid()') },
  ulid: { [ESM]: true, ulid: scalar('ulid()') },
  ulidx: { [ESM]: true, ulid: scalar('ulid()') },
  cuid: { [ESM]: true, default: scalar('cuid()') },
  '@paralleldrive/cuid2': { [ESM]: true, createId: scalar('createId()'), default: { createId: scalar('createId()') } },
  moment: { [ESM]: true, default: momentSource('moment()') },
  'moment-timezone': { [ESM]: true, default: momentSource('moment()') },
  dayjs: { [ESM]: true, default: momentSource('dayjs()') },
  luxon: {
    [ESM]: true,
    DateTime: {
      now: { [CALL]: { kind: 'luxon', label: 'DateTime.now()', frequency: 'request' } },
      local: { [CALL]: { kind: 'luxon', label: 'DateTime.local()', frequency: 'request', argless: true } },
      utc: { [CALL]: { kind: 'luxon', label: 'DateTime.utc()', frequency: 'request', argless: true } },
    },
  },
  'date-fns': dateFns,
  fs: fsModule,
  'node:fs': fsModule,
  'fs/promises': fsPromises,
  'node:fs/promises': fsPromises,
};

/** CommonJS `require()` sees the module object itself: the same map without the ESM `default` wrappers. */
function toCjs(map: TraceMap<SourceInfo>): TraceMap<SourceInfo> {
  const out: Record<string | symbol, unknown> = {};
  for (const [moduleId, entry] of Object.entries(map)) {
    const copy: Record<string | symbol, unknown> = {};
    const source = entry as Record<string | symbol, unknown>;
    for (const key of Object.keys(source)) if (key !== 'default') copy[key] = source[key];
    const def = source.default as Record<string | symbol, unknown> | undefined;
    if (def) {
      for (const sym of [CALL, CONSTRUCT, READ]) if (def[sym]) copy[sym] = def[sym];
      for (const key of Object.keys(def)) copy[key] ??= def[key];
    }
    out[moduleId] = copy;
  }
  return out as TraceMap<SourceInfo>;
}

const CJS_SOURCES = toCjs(MODULE_SOURCES);

/** Environment globals (Node, browsers) that ESLint does not declare unless configured. */
export const IMPLICIT_GLOBALS = ['require', 'crypto', 'performance', 'process', 'Temporal', 'globalThis', 'window', 'self'];

/**
 * Every call in the file that produces a clock value, a random value or a file read, found once with
 * eslint-utils' `ReferenceTracker` (so aliases, destructuring, `require` and shadowing are handled).
 * Keyed by the CallExpression / NewExpression node.
 */
export function findVolatileSources(globalScope: TSESLint.Scope.Scope): Map<TSESTree.Node, SourceInfo> {
  const tracker = createReferenceTracker(globalScope, IMPLICIT_GLOBALS);
  const found = new Map<TSESTree.Node, SourceInfo>();
  for (const ref of tracker.iterateGlobalReferences(GLOBAL_SOURCES)) found.set(ref.node, ref.info);
  for (const ref of tracker.iterateEsmReferences(MODULE_SOURCES)) found.set(ref.node, ref.info);
  for (const ref of tracker.iterateCjsReferences(CJS_SOURCES)) found.set(ref.node, ref.info);
  return found;
}

/**
 * Precision of a moment/dayjs format string (`'YYYY-MM-DD HH:mm'` → minute). Null when it shows nothing
 * finer than a month (such a value is stable enough to cache).
 */
export function getMomentFormatFrequency(format: string): ClockFrequency | null {
  const text = format.replace(/\[[^\]]*\]/g, ''); // [escaped] literals
  if (/S|x|X/.test(text)) return text.includes('X') && !/S|x/.test(text) ? 'second' : 'request';
  if (/LTS|s/.test(text)) return 'second';
  if (/LT|LLL|lll|m/.test(text)) return 'minute';
  if (/[Hhk]/.test(text)) return 'hour';
  if (/D|d|L|l|w|W|E|e|a|A/.test(text)) return 'day';
  return null;
}

/** Precision of a Unicode (date-fns, luxon `toFormat`) format string. Null when coarser than a day. */
export function getUnicodeFormatFrequency(format: string): ClockFrequency | null {
  const text = format.replace(/'[^']*'/g, '');
  if (/S|T|x|X/.test(text)) return 'request';
  if (/s|pp/.test(text)) return 'second';
  if (/m|p|t/.test(text)) return 'minute';
  if (/[HhKk]/.test(text)) return 'hour';
  if (/d|D|E|e|c|P|i|a|b|B/.test(text)) return 'day';
  return null;
}

/** Words that name an object holding per-user or per-request data (`user.name`, `req.body.q`). */
export const USER_OBJECT_WORDS = ['user', 'session', 'customer', 'account', 'tenant', 'profile', 'req', 'request', 'member', 'viewer'];

/** Identifier names that hold a per-user value on their own (`userId`, `requestId`, `email`). */
const USER_ID_PREFIXES = new Set(['user', 'request', 'req', 'trace', 'session', 'customer', 'account', 'tenant', 'correlation', 'span', 'member', 'visitor']);

/** Ids minted for each request (`requestId`, `traceId`, `correlation_id`, `spanId`): they change every request. */
const REQUEST_ID_PREFIXES = new Set(['request', 'req', 'trace', 'correlation', 'span']);

/**
 * How often a value named like an id or a user field changes: `request` for request/trace/correlation/span
 * ids, `user` for user/session/customer/… ids, e-mails and user names; null for other names.
 */
export function getNamedValueFrequency(name: string): 'request' | 'user' | null {
  if (isPerTurnValueName(name)) return 'request';
  if (!isUserValueName(name)) return null;
  const words = splitWords(name);
  const last = words[words.length - 1];
  return (last === 'id' || last === 'uuid') && words.length >= 2 && REQUEST_ID_PREFIXES.has(words[words.length - 2]) ? 'request' : 'user';
}

/** Things an agent measures on every turn (`contextTokens`, `tokensUsed`, `usagePercent`). */
const TURN_QUANTITIES = new Set(['token', 'tokens', 'context', 'budget']);
const TURN_MEASURES = new Set(['usage', 'used', 'remaining', 'left', 'consumed', 'count', 'percent', 'pct', 'percentage', 'utilization', 'spent', 'total', 'current']);
/** Words that make a name a limit or a setting (`maxTokens`, `contextWindow`, `tokenLimit`): stable. */
const SETTING_WORDS = new Set(['max', 'min', 'limit', 'limits', 'window', 'size', 'capacity', 'threshold', 'default', 'per']);
const TURN_COUNTERS = new Set(['turn', 'turns', 'iteration', 'iterations', 'step', 'steps', 'message', 'messages', 'round', 'rounds']);
const COUNTER_WORDS = new Set(['count', 'number', 'index', 'num', 'no', 'idx']);

/**
 * Whether a name denotes a value an agent recomputes on every turn, per precision-first name evidence: a
 * context/token measurement (`contextUsage`, `tokenCount`, `usedTokens`, `remainingBudget`, `contextTokens`;
 * not `maxTokens`, `contextWindow`, `tokenBudget`), a turn counter (`turnCount`, `iterationIndex`, `stepNumber`),
 * a live snapshot (`stateSnapshot`, `liveState`) or elapsed time (`elapsedMs`, `uptime`, `timeRemaining`).
 * A bare `turn` or `step` is not one: that is usually a message of the history or an item of a plan.
 */
export function isPerTurnValueName(name: string): boolean {
  const words = splitWords(name);
  if (words.length === 0 || words.some((word) => SETTING_WORDS.has(word))) return false;
  const quantities = words.filter((word) => TURN_QUANTITIES.has(word));
  if (quantities.length > 0 && words.some((word) => TURN_MEASURES.has(word))) return true;
  if (quantities.includes('context') && (quantities.includes('tokens') || quantities.includes('token'))) return true;
  if (words.some((word) => TURN_COUNTERS.has(word)) && words.some((word) => COUNTER_WORDS.has(word))) return true;
  if (words.includes('snapshot') || ((words.includes('live') || words.includes('current')) && (words.includes('state') || words.includes('status')))) return true;
  if (words.includes('elapsed') || words.includes('uptime')) return true;
  return words.includes('time') && (words.includes('remaining') || words.includes('left'));
}

/** Whether a bare identifier name denotes a per-user value (`userId`, `trace_id`, `email`, `userName`). */
export function isUserValueName(name: string): boolean {
  const words = splitWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (last === 'email' || last === 'username') return true;
  if (words.length >= 2 && (last === 'id' || last === 'name' || last === 'uuid')) {
    return USER_ID_PREFIXES.has(words[words.length - 2]);
  }
  return false;
}

/** Whether an object name denotes per-user data (`currentUser`, `req`, `session`), given extra names from options. */
export function isUserObjectName(name: string, extra: readonly string[] = []): boolean {
  if (extra.includes(name)) return true;
  const words = splitWords(name);
  const last = words[words.length - 1];
  return last !== undefined && USER_OBJECT_WORDS.includes(last) && !(words.length > 1 && words[0] === 'is');
}
