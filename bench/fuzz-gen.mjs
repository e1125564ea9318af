// Random request code for the fuzzer. `generateFuzzInput(seed, index)` returns one module (TypeScript or
// JavaScript, ESM or CommonJS) built from a seeded random grammar of LLM request code: clients of every SDK shape
// the analysis knows (Anthropic and its Bedrock/Vertex/Foundry clients, beta, batches, countTokens, OpenAI, Bedrock
// Converse, the Vercel AI SDK, LangChain, raw fetch), prompt text made of literals, templates, joins, spreads,
// conditionals, helpers, unknown and volatile values, odd `cache_control` values, and on purpose the hard cases:
// deep nesting, long chains, huge and exponentially growing strings, cyclic consts, self and mutually recursive
// functions. Input `index` of `seed` is always the same text, so a failure is reproduced by (seed, index).
//
// Extending it: add a production below (a method returning source text) and call it from the places where its
// kind of value may appear; keep every production syntactically valid for both parsers (TypeScript-only syntax
// behind `this.ts`). Cross-module cases (imports of project files) belong in a `generateFuzzProject`; see the TODO
// at the end of this file.
import { pathToFileURL } from 'node:url';

/** sfc32: small, fast, good enough for test generation; state seeded from a string hash. */
export class Rng {
  constructor(...seeds) {
    let h = 1779033703 ^ 0x9e3779b9;
    const mix = (value) => {
      for (const ch of String(value)) {
        h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
        h = (h << 13) | (h >>> 19);
      }
      h = Math.imul(h ^ 0x5bd1e995, 2654435761);
    };
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    for (const seed of seeds) mix(`${seed}\u0000`);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next() {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const result = (t + this.d) | 0;
    this.c = (this.c + result) | 0;
    return (result >>> 0) / 4294967296;
  }

  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted(entries) {
    const total = entries.reduce((sum, [weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [weight, value] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][1];
  }

  /** Mostly small, sometimes large: for sizes that must cover both everyday and extreme inputs. */
  size(small, large, pLarge = 0.05) {
    return this.chance(pLarge) ? this.int(small, large) : this.int(0, small);
  }
}

const WORDS = ['You', 'are', 'a', 'helpful', 'assistant', 'for', 'Acme', 'answer', 'briefly', 'cite', 'the', 'handbook', 'never', 'guess', 'policy', 'ticket', 'refund', 'context', 'rules', 'example'];
const MODELS = ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-3-5-sonnet-20241022', 'claude-sonnet-4-5@20250929', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'gpt-4o', 'claude-unknown-9', '', 'claude-sonnet-4-6 '];
const UNKNOWN = ['input', 'question', 'userText', 'ctx', 'opts', 'config', 'doc', 'prompt', 'extra', 'globalThis.PROMPT', 'window.name'];
const USERISH = ['user.name', 'user.id', 'session.id', 'customer.plan', 'req.body.text', 'request.headers.host', 'tenant.slug', 'profile.bio', 'account?.email'];
const VOLATILE = ['Date.now()', 'new Date().toISOString()', 'new Date()', 'Math.random()', 'crypto.randomUUID()', 'randomUUID()', 'performance.now()', 'process.hrtime.bigint()', 'new Date().toLocaleDateString()', 'new Date().getHours()', 'Date()', 'process.env.REQUEST_ID', 'Math.floor(Date.now() / 60000)'];
const CACHE_CONTROL_ODD = [
  '{ type: "ephemeral" }',
  "{ type: 'ephemeral', ttl: '1h' }",
  "{ type: 'ephemeral', ttl: '5m' }",
  "{ type: 'ephemeral', ttl: '60m' }",
  "{ type: 'ephemeral', ttl: 3600 }",
  "{ type: 'persistent' }",
  "{ type: 'Ephemeral' }",
  "{ ttl: '1h' }",
  '{}',
  '[]',
  'null',
  'undefined',
  'void 0',
  'true',
  'false',
  '0',
  '42',
  "'ephemeral'",
  '`ephemeral`',
  "{ type: 'ephemeral', type: 'ephemeral' }",
  "{ ['type']: 'ephemeral' }",
  // eslint-disable-next-line no-template-curly-in-string -- source text of a generated template literal
  "{ [`ty${'pe'}`]: 'ephemeral' }",
  "{ type: 'ephemeral', ttl: undefined }",
  "{ type: 'ephemeral', ttl: null }",
  "{ type: 'ephemeral', extra: { nested: [1, 2, 3] } }",
  "Object.freeze({ type: 'ephemeral' })",
  "{ type: 'ephemeral', ...extra }",
  "{ ...{ type: 'ephemeral' } }",
  'cacheControl()',
  "JSON.parse('{\"type\":\"ephemeral\"}')",
  "new Map([['type', 'ephemeral']])",
  "{ type: cond ? 'ephemeral' : undefined }",
  "{ type: 'ephemeral', ttl: cond ? '1h' : '5m' }",
  // eslint-disable-next-line no-template-curly-in-string -- source text of a generated template literal
  "{ type: 'ephemeral', ttl: `${1}h` }",
  "{ type: 'ephemeral', get ttl() { return '1h'; } }",
  "{ type: 'ephemeral', ttl() { return '1h'; } }",
];

/** One generated program. */
class Program {
  constructor(rng, { ts, commonjs }) {
    this.rng = rng;
    this.ts = ts;
    this.commonjs = commonjs;
    this.counter = 0;
    this.decls = []; // module-level statements, in order
    this.strings = []; // names of module-level string-ish consts
    this.arrays = []; // names of module-level array consts (of strings)
    this.blocks = []; // names of module-level content-block consts
    this.markers = []; // names of module-level cache_control consts
    this.objects = []; // names of module-level object consts (request fragments)
    this.helpers = []; // names of helper functions returning strings: (arg) => string
    this.blockHelpers = []; // names of helper functions returning blocks or block arrays
    this.clients = []; // { name, kind }
    this.budget = 0; // remaining size budget of the current expression
    this.features = []; // notable constructs in this input (for reports and for tests that must avoid some)
  }

  id(prefix) {
    return `${prefix}${this.counter++}`;
  }

  // ---------- leaves ----------

  words(min = 1, max = 12) {
    const n = this.rng.int(min, max);
    const out = [];
    for (let i = 0; i < n; i++) out.push(this.rng.pick(WORDS));
    return out.join(' ');
  }

  quote(text) {
    return this.rng.chance(0.5) ? JSON.stringify(text) : `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  }

  stringLiteral() {
    const r = this.rng;
    return r.weighted([
      [10, () => this.quote(this.words())],
      [2, () => this.quote('')],
      [1, () => this.quote('   \n\t ')],
      [1, () => this.quote(`${this.words()} \u00e9\u4e2d\u{1F600} \\u0041`)],
      [1, () => this.quote(this.words(1, 3).repeat(r.size(20, 20_000, 0.02)))], // long literal in the source
      [2, () => this.quote(`${this.words(5, 12)}. `.repeat(r.int(10, 150)))], // a stable handbook-sized text
      [1, () => `\`${this.words().replace(/`/g, '')}\``],
    ])();
  }

  unknown() {
    return this.rng.weighted([
      [6, () => this.rng.pick(UNKNOWN)],
      [3, () => this.rng.pick(USERISH)],
      [3, () => this.rng.pick(VOLATILE)],
      [1, () => 'arguments[0]'],
      [1, () => 'this?.prompt'],
      [1, () => `${this.rng.pick(UNKNOWN)}${this.ts ? '!' : ''}`],
    ])();
  }

  // ---------- strings ----------

  string(depth) {
    const r = this.rng;
    if (depth <= 0 || this.budget-- <= 0) return r.chance(0.7) ? this.stringLiteral() : this.stringRef();
    return r.weighted([
      [8, () => this.stringLiteral()],
      [5, () => this.stringRef()],
      [6, () => this.template(depth - 1)],
      [4, () => `${this.string(depth - 1)} + ${this.string(depth - 1)}`],
      [3, () => `[${this.list(() => this.string(depth - 1), 0, 4)}].join(${this.quote(r.pick(['\n', '', ' ', '\n\n']))})`],
      [2, () => `(${this.string(depth - 1)}).trim()`],
      [1, () => `(${this.string(depth - 1)}).toUpperCase()`],
      [1, () => `(${this.string(depth - 1)}).slice(${r.int(-5, 20)}${r.chance(0.5) ? `, ${r.int(-5, 50)}` : ''})`],
      [1, () => `(${this.string(depth - 1)}).replace(/a/g, ${this.quote('b')})`],
      [1, () => `(${this.string(depth - 1)}).replaceAll(${this.quote('a')}, ${this.string(depth - 1)})`],
      [1, () => `(${this.string(depth - 1)}).concat(${this.list(() => this.string(depth - 1), 0, 3)})`],
      [1, () => `(${this.string(depth - 1)}).padEnd(${r.pick([10, 100, 5000])}, '.')`],
      [2, () => `(${this.string(depth - 1)}).repeat(${this.repeatCount()})`],
      [3, () => `${this.bool()} ? ${this.string(depth - 1)} : ${this.string(depth - 1)}`],
      [1, () => `((${this.unknown()}) ?? (${this.string(depth - 1)}))`], // parenthesised: ?? must not meet || unwrapped
      [1, () => `((${this.unknown()}) || (${this.string(depth - 1)}))`],
      [4, () => this.unknown()],
      [2, () => `String(${this.unknown()})`],
      [2, () => `JSON.stringify(${this.objectLiteral(depth - 1)})`],
      [2, () => this.helperCall(depth - 1)],
      [1, () => `${this.arrayRef()}[${r.pick(['0', '1', '99', '-1', 'i', '"length"'])}]`],
      [1, () => `${this.arrayRef()}.map((line${this.ts ? ': string' : ''}) => \`- \${line}\`).join('\\n')`],
      [1, () => `${this.arrayRef()}.filter(Boolean).join(', ')`],
      [1, () => `${this.objectRef()}.${r.pick(['text', 'system', 'name', 'missing'])}`],
      [1, () => `${this.objectRef()}?.[${this.quote('text')}]`],
      [1, () => `tag\`${this.words()} \${${this.string(depth - 1)}}\``],
      [1, () => `readFileSync(${this.quote('./prompts/system.md')}, 'utf8')`],
      [1, () => `String(readFileSync(${this.quote('./p.md')}))`],
      [1, () => `Array(${this.repeatCount()}).fill(${this.quote('x')}).join('')`],
      [1, () => `(${this.string(depth - 1)}${this.ts ? ' as string' : ''})`],
      [1, () => `((s) => s + ${this.quote('!')})(${this.string(depth - 1)})`],
      [1, () => `(function () { return ${this.string(depth - 1)}; })()`],
    ])();
  }

  repeatCount() {
    return this.rng.weighted([
      [8, () => String(this.rng.int(0, 50))],
      [3, () => String(this.rng.int(100, 5000))],
      [1, () => '1e6'],
      [1, () => '2 ** 20'],
      [1, () => '1e9'], // larger than the maximum string length: must not throw in the evaluator
      [1, () => '2 ** 31'],
      [1, () => 'Infinity'],
      [1, () => '-1'],
      [1, () => '1.5'],
      [1, () => 'NaN'],
      [1, () => this.rng.pick(UNKNOWN)],
    ])();
  }

  template(depth) {
    const n = this.rng.int(0, 4);
    let out = '`';
    for (let i = 0; i < n; i++) out += `${this.words(0, 5).replace(/`/g, '')}\${${this.string(depth)}}`;
    return `${out}${this.words(0, 5)}\``;
  }

  stringRef() {
    return this.strings.length && this.rng.chance(0.85) ? this.rng.pick(this.strings) : this.unknown();
  }

  arrayRef() {
    return this.arrays.length && this.rng.chance(0.85) ? this.rng.pick(this.arrays) : this.rng.pick(['docs', 'lines', 'history', 'opts.items']);
  }

  objectRef() {
    return this.objects.length && this.rng.chance(0.8) ? this.rng.pick(this.objects) : this.rng.pick(['opts', 'config', 'base']);
  }

  helperCall(depth) {
    if (this.helpers.length && this.rng.chance(0.8)) return `${this.rng.pick(this.helpers)}(${this.rng.chance(0.5) ? this.string(depth) : this.unknown()})`;
    return `${this.rng.pick(['buildPrompt', 'render', 'format', 't', 'i18n.t', 'String.raw'])}(${this.string(depth)})`;
  }

  bool() {
    return this.rng.pick(['cond', 'flag', 'user.isAdmin', 'process.env.DEBUG', 'Math.random() > 0.5', 'true', 'false', 'i % 2 === 0', 'opts?.verbose', '!!input']);
  }

  list(make, min, max) {
    const n = this.rng.int(min, max);
    const out = [];
    for (let i = 0; i < n; i++) out.push(make());
    return out.join(', ');
  }

  // ---------- cache_control ----------

  marker() {
    return this.rng.weighted([
      [8, () => "{ type: 'ephemeral' }"],
      [3, () => "{ type: 'ephemeral', ttl: '1h' }"],
      [4, () => (this.markers.length ? this.rng.pick(this.markers) : "{ type: 'ephemeral' }")],
      [4, () => this.rng.pick(CACHE_CONTROL_ODD)],
      [2, () => `${this.bool()} ? ${this.marker()} : undefined`],
      [1, () => `${this.bool()} && ${this.marker()}`],
      [1, () => this.unknown()],
      [1, () => `{ ...${this.markers.length ? this.rng.pick(this.markers) : 'base'}, ttl: ${this.quote(this.rng.pick(['1h', '5m', '2h']))} }`],
      [1, () => (this.ts ? `(${this.marker()}) as const` : `(${this.marker()})`)],
    ])();
  }

  // ---------- blocks and messages ----------

  block(depth) {
    const r = this.rng;
    const cc = () => (r.chance(0.35) ? `, ${r.pick(['cache_control', 'cache_control', 'cacheControl', "'cache_control'", '"cache_control"'])}: ${this.marker()}` : '');
    if (depth <= 0 || this.budget-- <= 0) return `{ type: 'text', text: ${this.stringLiteral()}${cc()} }`;
    return r.weighted([
      [12, () => `{ type: 'text', text: ${this.string(depth - 1)}${cc()} }`],
      [2, () => `{ text: ${this.string(depth - 1)}, type: 'text'${cc()} }`],
      [1, () => `{ type: 'text', text: ${this.string(depth - 1)}, text: ${this.string(depth - 1)}${cc()} }`],
      [2, () => `{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: ${this.unknown()} }${cc()} }`],
      [2, () => `{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: ${this.string(depth - 1)} }, title: ${this.stringLiteral()}${cc()} }`],
      [1, () => `{ type: 'tool_use', id: ${this.quote('toolu_1')}, name: 'lookup', input: ${this.objectLiteral(depth - 1)}${cc()} }`],
      [2, () => `{ type: 'tool_result', tool_use_id: 'toolu_1', content: ${r.chance(0.5) ? this.string(depth - 1) : `[${this.list(() => this.block(depth - 1), 0, 3)}]`}${cc()} }`],
      [1, () => `{ type: 'thinking', thinking: ${this.string(depth - 1)}, signature: 'sig'${cc()} }`],
      [1, () => `{ type: 'redacted_thinking', data: ${this.string(depth - 1)}${cc()} }`],
      [1, () => `{ type: ${this.quote(r.pick(['server_tool_use', 'search_result', 'unknown_block', '']))}, text: ${this.string(depth - 1)}${cc()} }`],
      [1, () => `{ type: ${this.unknown()}, text: ${this.string(depth - 1)}${cc()} }`],
      [3, () => (this.blocks.length ? this.rng.pick(this.blocks) : this.unknown())],
      [1, () => `{ ...${this.blocks.length ? this.rng.pick(this.blocks) : this.unknown()}${cc()} }`],
      [2, () => `${this.bool()} ? ${this.block(depth - 1)} : ${this.block(depth - 1)}`],
      [1, () => this.string(depth - 1)],
      [1, () => this.unknown()],
      [1, () => (this.blockHelpers.length ? `${r.pick(this.blockHelpers)}(${this.unknown()})` : `makeBlock(${this.unknown()})`)],
      [1, () => 'null'],
    ])();
  }

  blockArray(depth) {
    const r = this.rng;
    if (depth <= 0 || this.budget-- <= 0) return `[${this.list(() => this.block(0), 0, 2)}]`;
    return r.weighted([
      [10, () => `[${this.list(() => this.arrayItem(() => this.block(depth - 1), depth), 0, 5)}]`],
      [2, () => `${this.arrayRef()}.map((item${this.ts ? ': any' : ''}, i${this.ts ? ': number' : ''}) => (${this.block(depth - 1)}))`],
      [1, () => `${this.arrayRef()}.flatMap((item${this.ts ? ': any' : ''}) => [${this.block(depth - 1)}])`],
      [1, () => `[${this.list(() => this.block(depth - 1), 0, 3)}].concat(${this.blockArray(depth - 1)})`],
      [1, () => `${this.bool()} ? ${this.blockArray(depth - 1)} : ${this.blockArray(depth - 1)}`],
      [1, () => this.unknown()],
      [1, () => (this.blockHelpers.length ? `${r.pick(this.blockHelpers)}(${this.unknown()})` : 'blocks')],
      [1, () => `[${this.list(() => this.blockArray(depth - 1), 1, 2)}]`], // nested arrays: not valid API input
      [1, () => `Array.from(${this.arrayRef()}, (x) => (${this.block(depth - 1)}))`],
      [1, () => `[...${this.blockArray(depth - 1)}].reverse()`],
    ])();
  }

  /** An array item: the value, a spread, a hole, or a conditional spread. */
  arrayItem(make, depth) {
    return this.rng.weighted([
      [10, make],
      [2, () => `...${this.rng.chance(0.5) ? this.arrayRef() : this.blockArray(depth - 1)}`],
      [1, () => `...(${this.bool()} ? [${make()}] : [])`],
      [1, () => `...(${this.unknown()} ?? [])`],
      [1, () => ''], // a hole: `[a, , b]`
    ])();
  }

  message(depth) {
    const r = this.rng;
    const role = r.weighted([
      [5, "'user'"],
      [3, "'assistant'"],
      [1, "'system'"],
      [1, () => this.unknown()],
      [1, '`user`'],
    ]);
    const roleText = typeof role === 'function' ? role() : role;
    return r.weighted([
      [8, () => `{ role: ${roleText}, content: ${this.string(depth - 1)} }`],
      [8, () => `{ role: ${roleText}, content: ${this.blockArray(depth - 1)} }`],
      [1, () => `{ content: ${this.string(depth - 1)}, role: ${roleText} }`],
      [1, () => `{ role: ${roleText} }`],
      [1, () => `{ ...${this.unknown()}, content: ${this.blockArray(depth - 1)} }`],
      [2, () => this.unknown()],
      [1, () => `${this.bool()} ? ${this.message(depth - 1)} : ${this.message(depth - 1)}`],
    ])();
  }

  messages(depth) {
    const r = this.rng;
    return r.weighted([
      [10, () => `[${this.list(() => this.arrayItem(() => this.message(depth - 1), depth), 0, 5)}]`],
      [3, () => `[...history, ${this.message(depth - 1)}]`],
      [2, () => `history.map((m${this.ts ? ': any' : ''}, i${this.ts ? ': number' : ''}) => ({ role: m.role, content: [{ type: 'text', text: m.text, cache_control: i === history.length - 1 ? ${this.marker()} : undefined }] }))`],
      [1, () => `history.map((m${this.ts ? ': any' : ''}) => ({ ...m, content: [{ type: 'text', text: m.text, cache_control: ${this.marker()} }] }))`],
      [1, () => `[...history].concat([${this.message(depth - 1)}])`],
      [1, () => `history.slice(-${r.int(1, 10)})`],
      [1, () => this.unknown()],
      [1, () => `${this.bool()} ? ${this.messages(depth - 1)} : []`],
      [1, () => 'messages'],
    ])();
  }

  tool(depth) {
    const r = this.rng;
    return r.weighted([
      [6, () => `{ name: ${this.quote(`tool_${this.counter++}`)}, description: ${this.string(depth - 1)}, input_schema: ${this.schema(r.size(3, 60, 0.05))}${r.chance(0.3) ? `, cache_control: ${this.marker()}` : ''} }`],
      [1, () => `{ type: 'web_search_20250305', name: 'web_search', max_uses: ${r.int(0, 5)} }`],
      [1, () => `{ ...${this.objectRef()}, cache_control: ${this.marker()} }`],
      [1, () => this.unknown()],
    ])();
  }

  /** A JSON schema object, `depth` levels deep (deep input_schema trees are real in tool definitions). */
  schema(depth) {
    if (depth <= 0) return `{ type: ${this.quote(this.rng.pick(['string', 'number', 'boolean']))} }`;
    return `{ type: 'object', properties: { ${this.list(() => `${this.rng.pick(WORDS)}${this.counter++}: ${this.schema(depth - 1 - this.rng.int(0, 1))}`, 1, depth > 4 ? 1 : 2)} }, required: [] }`;
  }

  objectLiteral(depth) {
    if (depth <= 0 || this.budget-- <= 0) return `{ ${this.rng.pick(WORDS)}: ${this.stringLiteral()} }`;
    return `{ ${this.list(() => this.rng.weighted([
      [5, () => `${this.rng.pick(WORDS)}${this.counter++}: ${this.string(depth - 1)}`],
      [1, () => `...${this.objectRef()}`],
      [1, () => `[${this.string(depth - 1)}]: ${this.stringLiteral()}`],
      [1, () => `nested: ${this.objectLiteral(depth - 1)}`],
    ])(), 0, 4)} }`;
  }

  // ---------- requests ----------

  /** The request parameters object of a Messages call. */
  params(depth) {
    const r = this.rng;
    const props = [];
    const model = r.weighted([
      [8, () => this.quote(r.pick(MODELS))],
      [1, () => this.unknown()],
      [1, () => `${this.bool()} ? ${this.quote(r.pick(MODELS))} : ${this.quote(r.pick(MODELS))}`],
      [1, () => 'MODEL'],
    ])();
    if (r.chance(0.9)) props.push(`model: ${model}`);
    if (r.chance(0.8)) props.push(`max_tokens: ${r.pick(['1024', '4096', '0', '-1', 'maxTokens', '1e9'])}`);
    if (r.chance(0.4)) props.push(`tools: ${r.chance(0.85) ? `[${this.list(() => this.arrayItem(() => this.tool(depth - 1), depth), 0, 4)}]` : this.unknown()}`);
    if (r.chance(0.75)) {
      const system = r.weighted([
        [4, () => this.string(depth - 1)],
        [5, () => this.blockArray(depth - 1)],
        [1, () => this.unknown()],
      ])();
      props.push(r.chance(0.05) && !this.ts ? 'system' : `system: ${system}`);
    }
    if (r.chance(0.95)) props.push(`messages: ${this.messages(depth - 1)}`);
    if (r.chance(0.12)) props.push(`cache_control: ${this.marker()}`); // automatic caching
    if (r.chance(0.1)) props.push(`...${this.objectRef()}`);
    if (r.chance(0.05)) props.push(`[${this.quote('system')}]: ${this.string(depth - 1)}`);
    if (r.chance(0.05)) props.push(`get system() { return ${this.string(depth - 1)}; }`);
    if (r.chance(0.1)) props.push(`thinking: { type: 'enabled', budget_tokens: ${r.int(0, 20000)} }`);
    if (r.chance(0.05)) props.push(`metadata: { user_id: ${this.unknown()} }`);
    shuffle(r, props);
    return `{ ${props.join(', ')} }`;
  }

  /** A call that sends a request, on one of the clients, in one of the SDK shapes. */
  request(depth) {
    const r = this.rng;
    const anthropic = this.clients.filter((c) => c.kind === 'anthropic');
    const receiver = anthropic.length && r.chance(0.8) ? r.pick(anthropic).name : r.pick(['this.client', 'client', 'deps.anthropic', 'getClient()']);
    const params = () => this.params(depth);
    const shapes = [
      [10, () => `${receiver}.messages.create(${params()})`],
      [3, () => `${receiver}.messages.stream(${params()})`],
      [1, () => `${receiver}.messages.parse(${params()})`],
      [2, () => `${receiver}.messages.countTokens(${params()})`],
      [2, () => `${receiver}.beta.messages.create(${params()})`],
      [1, () => `${receiver}.beta.messages.toolRunner(${params()})`],
      [2, () => `${receiver}.messages.batches.create({ requests: [${this.list(() => `{ custom_id: ${this.quote(`r${this.counter++}`)}, params: ${params()} }`, 0, 3)}] })`],
      [1, () => `${receiver}.messages.batches.create({ requests: ${this.arrayRef()}.map((item${this.ts ? ': any' : ''}) => ({ custom_id: item.id, params: ${params()} })) })`],
      [1, () => `${receiver}?.messages?.create(${params()})`],
      [1, () => `${receiver}['messages']['create'](${params()})`],
      [1, () => `${receiver}.messages.create(${params()}, { headers: { 'anthropic-beta': 'x' } })`],
      [1, () => `${receiver}.messages.create(...args)`],
      [1, () => `${receiver}.messages.create()`],
      [1, () => `${receiver}.messages.create(${this.unknown()})`],
    ];
    const others = this.clients.filter((c) => c.kind !== 'anthropic');
    for (const client of others) {
      if (client.kind === 'openai') {
        shapes.push([2, () => `${client.name}.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: ${this.string(depth - 1)} }, ...history] })`]);
        shapes.push([1, () => `${client.name}.responses.create({ model: 'gpt-4o', instructions: ${this.string(depth - 1)}, input: ${this.unknown()}, prompt_cache_key: ${this.string(depth - 1)} })`]);
      } else if (client.kind === 'converse') {
        shapes.push([2, () => `${client.name}.send(new ConverseCommand({ modelId: ${this.quote(r.pick(MODELS))}, system: [{ text: ${this.string(depth - 1)} }, { cachePoint: { type: ${this.quote(r.pick(['default', 'odd']))} } }], messages: [{ role: 'user', content: [{ text: ${this.string(depth - 1)} }${r.chance(0.5) ? ", { cachePoint: { type: 'default' } }" : ''}] }] }))`]);
      } else if (client.kind === 'ai') {
        shapes.push([2, () => `generateText({ model: anthropic(${this.quote(r.pick(MODELS))}), system: ${this.string(depth - 1)}, messages: [{ role: 'user', content: ${this.string(depth - 1)}, providerOptions: { anthropic: { cacheControl: ${this.marker()} } } }] })`]);
        shapes.push([1, () => `streamText({ model: anthropic(${this.quote(r.pick(MODELS))}), prompt: ${this.string(depth - 1)} })`]);
      } else if (client.kind === 'langchain') {
        shapes.push([2, () => `${client.name}.invoke([new SystemMessage({ content: [{ type: 'text', text: ${this.string(depth - 1)}, cache_control: ${this.marker()} }] }), new HumanMessage(${this.string(depth - 1)})])`]);
      }
    }
    shapes.push([2, () => `fetch('https://api.anthropic.com/v1/messages', { method: 'POST', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: JSON.stringify(${params()}) })`]);
    shapes.push([1, () => `fetch(${this.unknown()}, { method: 'POST', body: JSON.stringify({ messages: ${this.messages(depth - 1)} }) })`]);
    shapes.push([1, () => `axios.post('https://api.anthropic.com/v1/messages', ${params()})`]);
    return r.weighted(shapes)();
  }

  // ---------- declarations ----------

  declareModuleLevel() {
    const r = this.rng;
    this.budget = r.size(30, 300, 0.05);
    const kind = r.weighted([
      [6, 'string'],
      [2, 'array'],
      [2, 'marker'],
      [2, 'block'],
      [1, 'object'],
      [1, 'cycle'],
      [1, 'let'],
      [1, 'destructure'],
    ]);
    const keyword = r.chance(0.9) ? 'const' : r.pick(['let', 'var']);
    switch (kind) {
      case 'string': {
        const name = this.id('TEXT');
        this.decls.push(`${keyword} ${name}${this.ts && r.chance(0.2) ? ': string' : ''} = ${this.expr(() => this.string(this.depth()))};`);
        this.strings.push(name);
        return;
      }
      case 'array': {
        const name = this.id('LINES');
        this.decls.push(`const ${name} = [${this.list(() => this.arrayItem(() => this.string(this.depth()), 2), 0, 6)}]${this.ts && r.chance(0.3) ? ' as const' : ''};`);
        this.arrays.push(name);
        return;
      }
      case 'marker': {
        const name = this.id('CACHE');
        this.decls.push(`const ${name} = ${this.marker()}${this.ts && r.chance(0.4) ? ' as const' : ''};`);
        this.markers.push(name);
        return;
      }
      case 'block': {
        const name = this.id('BLOCK');
        this.decls.push(`const ${name}${this.ts && r.chance(0.3) ? ': Anthropic.TextBlockParam' : ''} = ${this.block(this.depth())};`);
        this.blocks.push(name);
        return;
      }
      case 'object': {
        const name = this.id('BASE');
        this.decls.push(`const ${name} = { model: ${this.quote(r.pick(MODELS))}, max_tokens: 1024, system: ${this.string(this.depth())} };`);
        this.objects.push(name);
        return;
      }
      case 'cycle': {
        // Cyclic consts: a TDZ error at run time, but valid syntax the evaluator must not loop on.
        const a = this.id('CYCLE_A');
        const b = this.id('CYCLE_B');
        const shape = r.int(0, 3);
        if (shape === 0) this.decls.push(`const ${a} = ${b} + ${this.quote('a')};`, `const ${b} = \`\${${a}}b\`;`);
        else if (shape === 1) this.decls.push(`const ${a} = [${b}, ${this.quote('x')}].join('');`, `const ${b} = ${a}.trim();`);
        else if (shape === 2) this.decls.push(`const ${a} = { text: ${b}.text, self: ${a} };`, `const ${b} = { text: ${a}.text };`);
        else this.decls.push(`const ${a} = ${a} + ${this.quote('self')};`, `const ${b} = [...${b}, ${a}];`);
        this.strings.push(a);
        if (shape === 2) this.objects.push(a, b);
        else this.strings.push(b);
        return;
      }
      case 'let': {
        const name = this.id('prompt');
        this.decls.push(`let ${name} = ${this.string(this.depth())};`, `${name} += ${this.string(this.depth())};`);
        if (r.chance(0.5)) this.decls.push(`if (${this.bool()}) ${name} = ${this.string(this.depth())};`);
        this.strings.push(name);
        return;
      }
      case 'destructure': {
        const a = this.id('PART');
        const b = this.id('PART');
        if (r.chance(0.5)) this.decls.push(`const { ${a}, ${b} = ${this.stringLiteral()} } = { ${a}: ${this.string(this.depth())} };`);
        else this.decls.push(`const [${a}, ${b}] = [${this.string(this.depth())}];`);
        this.strings.push(a, b);
        return;
      }
    }
  }

  declareHelper() {
    const r = this.rng;
    this.budget = r.size(30, 300, 0.05);
    const name = this.id('build');
    const param = `arg${this.ts ? (r.chance(0.5) ? ': string' : '?: any') : ''}`;
    const shape = r.weighted([
      [5, 'string'],
      [2, 'blocks'],
      [1, 'recursive'],
      [1, 'mutual'],
      [1, 'arrow'],
      [1, 'closure'],
      [2, 'reassigned'],
      [1, 'placeholders'],
      [1, 'class'],
    ]);
    switch (shape) {
      case 'string':
        this.decls.push(`function ${name}(${param}) {\n  ${r.chance(0.3) ? `if (!arg) return ${this.string(2)};\n  ` : ''}return ${this.string(this.depth())};\n}`);
        this.helpers.push(name);
        return;
      case 'blocks':
        this.decls.push(`function ${name}(${param}) {\n  return ${this.blockArray(this.depth())};\n}`);
        this.blockHelpers.push(name);
        return;
      case 'recursive':
        this.decls.push(`function ${name}(${param}) {\n  return ${this.bool()} ? ${this.string(1)} : ${name}(arg) + ${this.string(1)};\n}`);
        this.helpers.push(name);
        return;
      case 'mutual': {
        const other = this.id('build');
        this.decls.push(
          `function ${name}(${param}) {\n  return ${other}(arg) + ${this.string(1)};\n}`,
          `function ${other}(${param}) {\n  return \`\${${name}(arg)}\${${this.string(1)}}\`;\n}`,
        );
        this.helpers.push(name, other);
        return;
      }
      case 'arrow':
        this.decls.push(`const ${name} = (${param}) => ${this.string(this.depth())};`);
        this.helpers.push(name);
        return;
      case 'closure':
        this.decls.push(`const ${name} = ((prefix) => (${param}) => prefix + ${this.string(2)})(${this.string(2)});`);
        this.helpers.push(name);
        return;
      case 'reassigned':
        this.decls.push(this.reassignedHelper(this.promptName(name), param));
        this.helpers.push(this.lastName);
        return;
      case 'placeholders': {
        const table = this.id('VARIABLES');
        const entries = Array.from({ length: r.int(1, 4) }, (_, i) => `v${i}: () => ${r.chance(0.5) ? this.rng.pick(VOLATILE) : this.string(1)}`);
        const fn = this.promptName(name);
        const expand = r.weighted([
          [2, () => `(${this.string(1)} + '{v0}{v1}').replace(/\\{(\\w+)\\}/g, (_m, key) => ${table}[key]?.() ?? '')`],
          [1, () => `Object.entries(${table}).reduce((text, [key, value]) => text.replaceAll(\`{\${key}}\`, value()), ${this.string(1)} + '{v0}')`],
          [1, () => `(() => { let text = '{v0} {v1}'; for (const [key, value] of Object.entries(${table})) text = text.replace(\`{\${key}}\`, value()); return text; })()`],
        ])();
        this.decls.push(`const ${table} = { ${entries.join(', ')} };\nfunction ${fn}(${param}) {\n  return ${expand};\n}`);
        this.helpers.push(fn);
        return;
      }
      case 'class': {
        const cls = this.id('Agent');
        this.decls.push(
          `class ${cls} {\n  ${this.ts ? 'private readonly ' : ''}base = ${this.stringLiteral()};\n  get systemPrompt() { return this.base + this.section(${this.string(1)}); }\n  section(${param}) { return \`\${arg}\${${this.string(1)}}\`; }\n}`,
          `const ${name} = (${param}) => new ${cls}().systemPrompt + arg;`,
        );
        this.helpers.push(name);
        return;
      }
    }
  }

  /** A name that marks a system prompt (`buildSystemPrompt`), once per program; otherwise `fallback`. */
  promptName(fallback) {
    const names = ['buildSystemPrompt', 'getSystemPrompt', 'renderSystemPrompt', 'composeInstructions', 'makeSystemMessage'];
    this.usedPromptNames ??= new Set();
    const free = names.filter((n) => !this.usedPromptNames.has(n));
    const name = free.length > 0 && this.rng.chance(0.6) ? this.rng.pick(free) : fallback;
    this.usedPromptNames.add(name);
    this.lastName = name;
    return name;
  }

  /** `let p = …; p += …` with conditional writes, loops over known and unknown items, self-references. */
  reassignedHelper(name, param) {
    const r = this.rng;
    const lines = [`let p = ${this.string(1)};`];
    const writes = r.size(1, 12, 0.05);
    for (let i = 0; i < writes; i++) {
      lines.push(
        r.weighted([
          [4, () => `p += ${this.string(2)};`],
          [2, () => `if (${this.bool()}) p += ${this.string(1)};`],
          [2, () => `for (const s of [${this.string(1)}, ${this.string(1)}]) p += s;`],
          [1, () => `for (const s of ${this.rng.pick(UNKNOWN)} ?? []) p += \`\${s}\${${this.string(1)}}\`;`],
          [1, () => `p = p.replace(${this.string(1)}, ${this.string(1)});`],
          [1, () => `p = p + p;`],
          [1, () => `if (${this.bool()}) p = p.trim() + p;`],
          [1, () => `[${this.string(1)}].forEach((s, i) => { p += s + i; });`],
        ])(),
      );
    }
    return `function ${name}(${param}) {\n  ${lines.join('\n  ')}\n  return p;\n}`;
  }

  /** The hard cases: inputs sized to stress recursion, string building and lookups. */
  declareExtreme() {
    const r = this.rng;
    const name = this.id('EXTREME');
    const n = r.weighted([
      [6, () => r.int(20, 200)],
      [3, () => r.int(200, 1500)],
      [1, () => r.int(1500, 4000)],
    ])();
    const kind = r.int(0, 10);
    this.features.push(`extreme:${['parentheses', 'plus-chain', 'conditional', 'array', 'template', 'calls', 'object', 'doubling', 'const-chain', 'many-blocks', 'huge-literal'][kind]}:${n}`);
    let value;
    if (kind === 0) value = `${'('.repeat(n)}${this.stringLiteral()}${')'.repeat(n)}`; // deep parentheses
    else if (kind === 1) value = Array.from({ length: n }, () => this.quote(r.pick(WORDS))).join(' + '); // long + chain
    else if (kind === 2) value = `${`${this.bool()} ? ${this.quote('a')} : `.repeat(n)}${this.quote('z')}`; // deep conditional
    else if (kind === 3) value = `${'['.repeat(n)}${this.quote('x')}${']'.repeat(n)}`; // deep array
    else if (kind === 4) value = `${'`a${'.repeat(Math.min(n, 400))}${this.quote('x')}${'}`'.repeat(Math.min(n, 400))}`; // nested templates
    else if (kind === 5) value = `${'f('.repeat(Math.min(n, 800))}${this.quote('x')}${')'.repeat(Math.min(n, 800))}`; // nested calls
    else if (kind === 6) value = `${'{ a: '.repeat(Math.min(n, 800))}${this.quote('x')}${' }'.repeat(Math.min(n, 800))}`; // deep object
    else if (kind === 7) {
      // Each const doubles the previous one: 2^n characters if the evaluator materialises them.
      const count = Math.min(n, r.chance(0.5) ? 40 : 80);
      const names = Array.from({ length: count }, (_, i) => `${name}_${i}`);
      this.decls.push(`const ${names[0]} = ${this.quote(this.words(1, 4))};`);
      for (let i = 1; i < count; i++) this.decls.push(`const ${names[i]} = ${r.chance(0.5) ? `${names[i - 1]} + ${names[i - 1]}` : `\`\${${names[i - 1]}}\${${names[i - 1]}}\``};`);
      this.strings.push(names[count - 1]);
      return;
    } else if (kind === 8) {
      // A long chain of consts, each built from the one before.
      const names = Array.from({ length: n }, (_, i) => `${name}_${i}`);
      this.decls.push(`const ${names[0]} = ${this.quote('start')};`);
      for (let i = 1; i < n; i++) this.decls.push(`const ${names[i]} = ${names[i - 1]} + ${this.quote(String(i))};`);
      this.strings.push(names[n - 1]);
      return;
    } else if (kind === 9) {
      // An array of many blocks, many with markers.
      value = `[${Array.from({ length: Math.min(n, 2000) }, (_, i) => `{ type: 'text', text: ${this.quote(`part ${i}`)}${i % 3 === 0 ? ", cache_control: { type: 'ephemeral' }" : ''} }`).join(', ')}]`;
      this.decls.push(`const ${name} = ${value};`);
      this.arrays.push(name);
      return;
    } else {
      // A huge literal.
      value = this.quote('x'.repeat(r.pick([100_000, 1_000_000, 2_000_000])));
    }
    this.decls.push(`const ${name} = ${value};`);
    this.strings.push(name);
  }

  depth() {
    return this.rng.weighted([
      [6, 1],
      [6, 2],
      [4, 3],
      [2, 5],
      [1, 8],
    ]);
  }

  /** Runs `make` with a fresh size budget (keeps a single expression from growing without bound). */
  expr(make) {
    this.budget = this.rng.size(30, 300, 0.05);
    return make();
  }

  // ---------- the module ----------

  header() {
    const r = this.rng;
    const lines = [];
    const imp = (what, from) => {
      if (this.commonjs) {
        const m = /^\{ (.*) \}$/.exec(what);
        lines.push(`const ${m ? `{ ${m[1].replace(/ as /g, ': ')} }` : what.replace(/^\* as /, '')} = require(${this.quote(from)});`);
      } else lines.push(`import ${what} from ${this.quote(from)};`);
    };
    // Anthropic clients, in the ways people import and construct them.
    const style = r.int(0, 4);
    if (style === 0) imp('Anthropic', '@anthropic-ai/sdk');
    else if (style === 1) imp('{ Anthropic }', '@anthropic-ai/sdk');
    else if (style === 2) imp('* as sdk', '@anthropic-ai/sdk');
    else if (style === 3) imp('{ default as Anthropic }', '@anthropic-ai/sdk');
    else imp('Claude', '@anthropic-ai/sdk');
    const ctor = ['Anthropic', 'Anthropic', 'sdk.Anthropic', 'Anthropic', 'Claude'][style];
    const clients = r.int(0, 3);
    for (let i = 0; i < Math.max(1, clients); i++) {
      const name = this.id('client');
      lines.push(`const ${name} = new ${ctor}(${r.chance(0.3) ? '{ apiKey: process.env.ANTHROPIC_API_KEY }' : ''});`);
      this.clients.push({ name, kind: 'anthropic' });
    }
    if (r.chance(0.2)) {
      const [pkg, cls] = r.pick([
        ['@anthropic-ai/bedrock-sdk', 'AnthropicBedrock'],
        ['@anthropic-ai/vertex-sdk', 'AnthropicVertex'],
        ['@anthropic-ai/foundry-sdk', 'AnthropicFoundry'],
      ]);
      imp(`{ ${cls} }`, pkg);
      const name = this.id('platform');
      lines.push(`const ${name} = new ${cls}();`);
      this.clients.push({ name, kind: 'anthropic' });
    }
    if (r.chance(0.15)) {
      const name = this.id('aliased');
      const source = this.clients[0].name;
      lines.push(r.chance(0.5) ? `const ${name} = ${source};` : `const { messages: ${name}Messages } = ${source};\nconst ${name} = { messages: ${name}Messages };`);
      this.clients.push({ name, kind: 'anthropic' });
    }
    if (r.chance(0.15)) {
      imp('OpenAI', 'openai');
      const name = this.id('openai');
      lines.push(`const ${name} = new OpenAI();`);
      this.clients.push({ name, kind: 'openai' });
    }
    if (r.chance(0.1)) {
      imp('{ BedrockRuntimeClient, ConverseCommand }', '@aws-sdk/client-bedrock-runtime');
      const name = this.id('bedrock');
      lines.push(`const ${name} = new BedrockRuntimeClient({ region: 'us-east-1' });`);
      this.clients.push({ name, kind: 'converse' });
    }
    if (r.chance(0.1)) {
      imp('{ generateText, streamText }', 'ai');
      imp('{ anthropic }', '@ai-sdk/anthropic');
      this.clients.push({ name: 'ai', kind: 'ai' });
    }
    if (r.chance(0.1)) {
      imp('{ ChatAnthropic }', '@langchain/anthropic');
      imp('{ SystemMessage, HumanMessage }', '@langchain/core/messages');
      const name = this.id('chat');
      lines.push(`const ${name} = new ChatAnthropic({ model: ${this.quote(r.pick(MODELS))} });`);
      this.clients.push({ name, kind: 'langchain' });
    }
    if (r.chance(0.3)) imp('{ readFileSync }', 'node:fs');
    if (r.chance(0.2) && !this.commonjs) imp('{ readFile }', 'node:fs/promises');
    if (r.chance(0.2)) imp('{ randomUUID }', 'node:crypto');
    return lines;
  }

  /** A statement that makes a request, wrapped the way real code wraps it. */
  requestStatement() {
    const r = this.rng;
    this.budget = r.size(40, 400, 0.05);
    const call = this.request(this.depth() + 1);
    const fn = this.id('run');
    const params = `history${this.ts ? ': any[]' : ''} = [], input${this.ts ? '?: string' : ''}, user${this.ts ? ': any' : ''} = {}`;
    const wrap = r.weighted([
      [8, () => `export async function ${fn}(${params}) {\n  return ${call};\n}`],
      [3, () => `export async function ${fn}(${params}) {\n  const system = ${this.string(2)};\n  const blocks = [];\n  for (const doc of ${this.arrayRef()}) {\n    blocks.push({ type: 'text', text: doc${r.chance(0.5) ? `, cache_control: ${this.marker()}` : ''} });\n  }\n  const response = await ${call};\n  return response;\n}`],
      [2, () => `export const ${fn} = async (${params}) => ${call};`],
      [2, () => `class Service${this.counter++} {\n  ${this.ts ? 'client: any;\n  ' : ''}constructor(${this.ts ? 'client: any' : 'client'}) {\n    this.client = client;\n  }\n  async ${fn}(${params}) {\n    return ${call};\n  }\n}`],
      [1, () => `export async function ${fn}(${params}) {\n  const results = [];\n  for (let i = 0; i < ${r.int(0, 10)}; i++) {\n    results.push(await ${call});\n  }\n  return results;\n}`],
      [1, () => `export const ${fn} = (items${this.ts ? ': any[]' : ''}) => Promise.all(items.map(async (item${this.ts ? ': any' : ''}) => ${call}));`],
      [1, () => `export function ${fn}(${params}) {\n  if (${this.bool()}) {\n    return ${call};\n  }\n  try {\n    return ${call};\n  } catch (error) {\n    return null;\n  } finally {\n    ${this.string(1)};\n  }\n}`],
      [1, () => (this.commonjs ? `(async () => {\n  await ${call};\n})();` : `await ${call};`)],
      [1, () => `export function* ${fn}(${params}) {\n  yield ${call};\n}`],
      [1, () => `export async function ${fn}(${params}) {\n  const params = ${this.params(2)};\n  ${r.chance(0.5) ? `params.system = ${this.string(2)};\n  ` : ''}${r.chance(0.3) ? `params.messages.push(${this.message(2)});\n  ` : ''}return ${this.clients[0].name}.messages.create(params);\n}`],
    ])();
    if (this.commonjs && wrap.startsWith('export ')) {
      this.decls.push(wrap.slice('export '.length), `exports.${fn} = ${fn};`);
    } else this.decls.push(wrap);
  }

  render() {
    const r = this.rng;
    const header = this.header();
    const moduleDecls = r.size(8, 40, 0.05);
    for (let i = 0; i < moduleDecls; i++) this.declareModuleLevel();
    if (r.chance(0.12)) this.declareExtreme();
    const helpers = r.int(0, 4);
    for (let i = 0; i < helpers; i++) this.declareHelper();
    const requests = r.int(1, 5);
    for (let i = 0; i < requests; i++) {
      if (r.chance(0.3)) this.declareModuleLevel();
      this.requestStatement();
    }
    return `${header.join('\n')}\n\n${this.decls.join('\n\n')}\n`;
  }
}

function shuffle(rng, items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/**
 * Input `index` of the run seeded `seed`: `{ text, ext, features }` where `ext` is `.ts`, `.mts`, `.mjs`, `.js` or
 * `.cjs` (CommonJS inputs use `require` and no top-level `await`), and `features` lists the extreme constructs
 * in it (`extreme:<kind>:<size>`).
 */
export function generateFuzzInput(seed, index) {
  const rng = new Rng(seed, index);
  const ext = rng.weighted([
    [5, '.ts'],
    [1, '.mts'],
    [2, '.mjs'],
    [1, '.js'],
    [1, '.cjs'],
  ]);
  const program = new Program(rng, { ts: ext === '.ts' || ext === '.mts', commonjs: ext === '.cjs' });
  const text = program.render();
  return { text, ext, features: program.features };
}

// TODO(cross-module, issue 7 item 5): inputs here are single files. The cross-module analysis
// (src/analysis/modules.ts) follows relative imports into project files; to fuzz it, add
// `generateFuzzProject(seed, index)` returning `{ files: { [relPath]: text }, entry }`: prompt constants and
// builders exported from sibling modules and imported with every form (named, default, namespace, re-export,
// `export *`, dynamic `import()`, `require`), import cycles, missing files, imports that leave the project root
// (`../../..`, absolute paths, symlinks to outside), modules above the size cap, and modules with side effects
// that must never run. Then add a task next to lib/fuzz-task.mjs that writes each project under a fresh directory
// (unique paths: the module cache keys on path, mtime and size) inside one ESLint `cwd`, lints the entry twice,
// and compares; runner.mjs, failures.mjs and fuzz.mjs's grouping and reduction work unchanged.

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `node bench/fuzz-gen.mjs <seed> <index>` prints one input.
  const { text } = generateFuzzInput(process.argv[2] ?? '1', Number(process.argv[3] ?? 0));
  process.stdout.write(text);
}
