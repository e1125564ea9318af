import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';

import { probe } from './probe.js';

const dump = (code: string) => probe(code).dump;

describe('string evaluation', () => {
  it('folds literals, templates, + and const bindings', () => {
    expect(dump("const a = 'You are '; const b = `${a}helpful`; const probe = b + '.';")).toBe('text("You are helpful.")');
  });

  it('follows never-reassigned let, and folds the writes of a reassigned one that precede the read', () => {
    expect(dump("let a = 'x'; const probe = a + 'y';")).toBe('text("xy")');
    expect(dump("let a = 'x'; a = 'z'; const probe = a + 'y';")).toBe('text("zy")');
    expect(dump("let a = 'x'; const probe = a + 'y'; a = 'z';")).toBe('text("xy")');
  });

  it('folds pure string methods, join, concat and repeat', () => {
    expect(dump("const probe = ['a', 'b'].join('-').toUpperCase().concat('!', 'x'.repeat(3)).trim();")).toBe('text("A-B!xxx")');
    expect(dump("const probe = '  pad '.trimEnd().padStart(8, '.');")).toBe('text("...  pad")');
  });

  it('keeps parameters unknown with their name', () => {
    expect(dump('function f(topic: string) { const probe = `About ${topic}.`; }')).toBe('text("About ") unknown(topic) text(".")');
  });

  it('reads object properties, destructuring and array indexes', () => {
    expect(dump("const cfg = { p: { name: 'Ada' } }; const { p: { name } } = cfg; const probe = name + cfg.p['name'] + ['x', 'y'][1];")).toBe('text("AdaAday")');
  });

  it('merges spreads in objects and arrays', () => {
    expect(dump("const base = { a: 'A', b: 'B' }; const o = { ...base, b: 'b2' }; const arr = [...['x'], 'y']; const probe = o.a + o.b + arr.join('');")).toBe('text("Ab2xy")');
  });

  it('follows calls of same-file functions with arguments bound', () => {
    expect(dump("function greet(name: string, suffix = '!') { return `Hi ${name}${suffix}`; } const probe = greet('Bo');")).toBe('text("Hi Bo!")');
    expect(dump("const greet = ({ name }: { name: string }) => 'Hi ' + name; const probe = greet({ name: 'Al' });")).toBe('text("Hi Al")');
  });

  it('collects .push() onto a local array, repeating pushes made in loops', () => {
    expect(dump("function build(items: string[]) { const lines = ['A']; lines.push('B'); for (const i of items) lines.push(i); return lines.join('|'); } const probe = build([]);"))
      .toBe('text("A|B|") unknown(dynamic | unknown(i))');
  });

  it('treats `cond && x` as either false or x', () => {
    expect(dump("declare const c: boolean; const probe = c && 'x';")).toBe('unknown(branches | text("false") || text("x"))');
    expect(probe("declare const c: boolean; const probe = { ...(c && { k: 'v' }) };").value).toMatchObject({ kind: 'object', props: [{ key: 'k', value: { kind: 'choice' } }] });
  });

  it('does not repeat pushes into an array declared inside the loop', () => {
    expect(dump("function f(qs: string[]) { for (const q of qs) { const m: string[] = ['a']; m.push('b'); const probe = m.join(''); } }")).toBe('text("ab")');
  });

  it('keeps every branch of ternaries and ?? / ||', () => {
    expect(dump("declare const c: boolean; const probe = c ? 'a' : 'b';")).toBe('unknown(branches | text("a") || text("b"))');
    expect(dump("declare const c: boolean; const probe = c ? 'same' : 'same';")).toBe('text("same")');
    expect(dump("const x = 'set'; const probe = x ?? 'fallback';")).toBe('text("set")');
  });

  it('splices placeholders expanded with replace() / replaceAll()', () => {
    expect(dump("declare const who: string; const probe = 'Hello {n}, bye {n}'.replaceAll('{n}', who);")).toBe('text("Hello ") unknown(who) text(", bye ") unknown(who)');
    expect(dump("const probe = 'a-b-c'.replace(/-/g, '+');")).toBe('text("a+b+c")');
  });

  it('serialises JSON.stringify of known objects', () => {
    expect(dump("const probe = JSON.stringify({ a: 1, b: ['x'] });")).toBe('text("{\\"a\\":1,\\"b\\":[\\"x\\"]}")');
  });

  it('stops at cycles and deep recursion without throwing', () => {
    expect(dump('function f(): string { return f(); } const probe = f();')).toMatch(/unknown/);
    expect(dump('function a(): string { return b(); } function b(): string { return a(); } const probe = a();')).toMatch(/unknown/);
  });

  it('refuses to build huge strings', () => {
    expect(dump("const probe = 'x'.repeat(1e9);")).toBe('unknown(limit)');
  });
});

describe('volatility', () => {
  it('classifies clocks by the precision they keep', () => {
    expect(dump('const probe = `${new Date().toISOString()}`;')).toBe('volatile(new Date().toISOString():request)');
    expect(dump('const probe = `${new Date()}`;')).toBe('volatile(new Date():second)');
    expect(dump('const probe = new Date().toDateString();')).toBe('volatile(new Date().toDateString():day)');
    expect(dump('const probe = new Date().toISOString().slice(0, 10);')).toBe('volatile(new Date().toISOString().slice():day)');
    expect(dump("const probe = new Date().toISOString().split('T')[0];")).toBe('volatile(new Date().toISOString().split():day)');
    expect(dump('const probe = String(Math.floor(Date.now() / 60000));')).toBe('volatile(Date.now():minute)');
  });

  it('does not evaluate Date at lint time and treats constant dates as stable', () => {
    expect(dump("const probe = new Date('2024-03-01').toISOString();")).toBe('unknown(dynamic)');
    expect(dump('const probe = new Date().getFullYear();')).toBe('unknown(dynamic)');
  });

  it('knows moment, dayjs, luxon, date-fns and Temporal', () => {
    expect(dump("import moment from 'moment'; const probe = moment().format('LLLL');")).toBe('volatile(moment().format():minute)');
    expect(dump("import dayjs from 'dayjs'; const probe = dayjs().startOf('day').format();")).toBe('volatile(dayjs().format():day)');
    expect(dump("import { DateTime } from 'luxon'; const probe = DateTime.now().toISODate();")).toBe('volatile(DateTime.now().toISODate():day)');
    expect(dump("import { format, startOfHour } from 'date-fns'; const probe = format(startOfHour(new Date()), 'HH:mm');")).toBe('volatile(format(startOfHour(new Date())):hour)');
    expect(dump('const probe = Temporal.Now.plainDateISO().toString();')).toBe('volatile(Temporal.Now.plainDateISO().toString():day)');
    expect(dump("import moment from 'moment'; declare const d: string; const probe = moment(d).format('LL');")).not.toMatch(/volatile/);
  });

  it('knows random and id generators through imports, require and aliases', () => {
    expect(dump("import { v7 } from 'uuid'; const probe = v7();")).toBe('volatile(uuid.v7():request)');
    expect(dump("import * as crypto from 'node:crypto'; const probe = crypto.randomBytes(8).toString('hex');")).toBe('volatile(crypto.randomBytes().toString():request)');
    expect(dump("const { ulid } = require('ulid'); const probe = ulid();")).toBe('volatile(ulid():request)');
    expect(dump("import { createId } from '@paralleldrive/cuid2'; const probe = createId();")).toBe('volatile(createId():request)');
    expect(dump('const probe = `${Math.random()}`;')).toBe('volatile(Math.random():request)');
  });

  it('respects shadowing: a local Date or Math is not the global', () => {
    expect(dump("function f(Date: any) { const probe = Date.now(); }")).toBe('unknown(Date.now())');
    expect(dump("const Math = { random: () => 'fixed' }; const probe = Math.random();")).toBe('text("fixed")');
  });

  it('propagates volatility through calls it cannot follow', () => {
    expect(dump('declare function esc(s: string): string; const probe = esc(new Date().toISOString());')).toBe('unknown(esc() | volatile(new Date().toISOString():request))');
  });

  it('marks file reads', () => {
    expect(probe("import { readFileSync } from 'node:fs'; const probe = readFileSync('p.md', 'utf8');").value).toMatchObject({ kind: 'unknown', part: { reason: 'file' } });
  });
});

describe('bounds', () => {
  it('survives exponential string growth without throwing, keeping the volatile value', () => {
    const doubling = Array.from({ length: 30 }, (_, i) => `const T${i + 1} = T${i} + T${i};`).join('\n');
    const result = dump(`const T0 = 'x'.repeat(1000) + Date.now();\n${doubling}\nconst probe = T30;`);
    expect(result).toContain('volatile(Date.now():request)');
    expect(result).toContain('unknown(limit)');
  });
});

describe('string building with reassignment', () => {
  it('appends with += in straight-line code and keeps volatile pieces', () => {
    expect(dump("function f() { let p = 'You are a bot.'; p += ' Today is '; p += new Date().toDateString(); const probe = p; }")).toBe(
      'text("You are a bot. Today is ") volatile(new Date().toDateString():day)',
    );
  });

  it('makes a conditional write a choice, and an unfollowable write unknown', () => {
    expect(dump("function f(c: boolean) { let p = 'A'; if (c) p += 'B'; const probe = p; }")).toBe('text("A") unknown(dynamic | text("B"))');
    expect(dump("function f() { let n = 1; n++; const probe = `${n}`; }")).toBe('unknown(n)');
    expect(dump("let p = 'A'; function g() { p += 'B'; } const probe = p;")).toBe('unknown(p)');
    expect(dump("function f() { let p = 'A'; p ??= 'B'; const probe = p; }")).toBe('unknown(p)');
  });

  it('unrolls += in a loop over known items, and summarises a loop over unknown items', () => {
    expect(dump("function f() { let p = ''; for (const s of ['a', 'b', 'c']) p += s + ';'; const probe = p; }")).toBe('text("a;b;c;")');
    expect(dump("function f() { let p = ''; ['a', 'b'].forEach((s, i) => { p += `${i}${s}`; }); const probe = p; }")).toBe('text("0a1b")');
    const summarised = probe('function f(items: string[]) { let p = "Items:"; for (const item of items) p += `\n- ${item} at ${Date.now()}`; const probe = p; }');
    expect(summarised.dump).toBe('text("Items:") unknown(dynamic | text("\\n- ") unknown(items.[]) text(" at ") volatile(Date.now():request))');
  });

  it('does not follow a read inside the loop that writes the variable', () => {
    expect(dump("function f(xs: string[]) { let p = ''; for (const x of xs) { p += x; const probe = p; } }")).toBe('unknown(p)');
  });
});

describe('placeholder tables', () => {
  const table = "const VARIABLES = { datetime: () => new Date().toISOString(), name: () => 'Ada' };";

  it('expands a replacer function that looks placeholders up in a table of functions', () => {
    expect(dump(`${table} const TEMPLATE = 'Hi {name}, it is {datetime}.'; const probe = TEMPLATE.replace(/\\{(\\w+)\\}/g, (_, key) => VARIABLES[key]());`)).toBe(
      'text("Hi Ada, it is ") volatile(new Date().toISOString():request) text(".")',
    );
  });

  it('unrolls a loop over Object.entries of the table with replaceAll', () => {
    expect(dump(`${table} function render() { let text = 'Hi {name} at {datetime}'; for (const [key, fn] of Object.entries(VARIABLES)) text = text.replaceAll(\`{\${key}}\`, fn()); const probe = text; }`)).toBe(
      'text("Hi Ada at ") volatile(new Date().toISOString():request)',
    );
  });

  it('folds reduce over the table', () => {
    expect(dump(`${table} const probe = Object.entries(VARIABLES).reduce((text, [key, fn]) => text.replaceAll(\`{\${key}}\`, fn()), '{name}/{datetime}');`)).toBe(
      'text("Ada/") volatile(new Date().toISOString():request)',
    );
  });

  it('replaces placeholders in the known text of a partly unknown template', () => {
    expect(dump(`${table} function f(cwd: string) { const probe = \`In \${cwd} on {datetime}\`.replace('{datetime}', VARIABLES.datetime()); }`)).toBe(
      'text("In ") unknown(cwd) text(" on ") volatile(new Date().toISOString():request)',
    );
  });

  it('leaves text without placeholders alone', () => {
    expect(dump(`${table} const probe = 'No placeholders here.'.replace(/\\{(\\w+)\\}/g, (_, key) => VARIABLES[key]());`)).toBe('text("No placeholders here.")');
  });
});


describe('class members through this', () => {
  it('follows methods, getters and readonly fields of the same class', () => {
    const code = (body: string) => `class Agent {\n  private readonly base = 'You are Forge.';\n  private mutable = 'x';\n  get today() { return new Date().toDateString(); }\n  section(name: string) { return \`## \${name}\`; }\n  build() { ${body} }\n}`;
    expect(dump(code("const probe = `${this.base} ${this.section('Rules')} ${this.today}`;"))).toBe('text("You are Forge. ## Rules ") volatile(new Date().toDateString():day)');
    expect(dump(code('const probe = `${this.mutable}`;'))).toBe('unknown(this.mutable)');
  });

  it('leaves this.x unknown outside a class method', () => {
    expect(dump('function f(this: { a: string }) { const probe = `${this.a}`; }')).toBe('unknown(this.a)');
  });
});

describe('reassignment stays linear', () => {
  it('summarises long series of conditional writes without blowing up', () => {
    const writes = Array.from({ length: 40 }, (_, i) => `if (c[${i}]) p += 'x${i}'; if (c[${i}]) q = q.trim() + '${i}';`).join('\n');
    const result = probe(`function f(c: boolean[]) { let p = 'A'; let q = 'B'; ${writes}\nconst probe = p + q + Date.now(); }`);
    expect(result.dump.startsWith('text("A") unknown(dynamic')).toBe(true);
    expect(result.dump.endsWith('volatile(Date.now():request)')).toBe(true);
    expect(result.dump.length).toBeLessThan(20_000);
  });
});


describe('reassignment on adversarial input', () => {
  // Values built from themselves share parts; copying them per write would grow exponentially (this ran out of
  // memory before hops skipped self-references and copies kept the sharing).
  const lint = (body: string) =>
    new Linter().verify(
      `export function buildSystemPrompt(c: boolean[], xs: string[]) { ${body} return p + Date.now(); }`,
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { 'prompt-cache': plugin as never }, rules: { 'prompt-cache/no-volatile-in-prefix': 'error' } }],
      { filename: 'x.ts' },
    );
  const repeat = (n: number, statement: (i: number) => string) => Array.from({ length: n }, (_, i) => statement(i)).join(' ');

  it.each([
    ['conditional self-appends', repeat(80, (i) => `if (c[${i}]) p += p;`)],
    ['self-referencing writes in loops over unknown items', repeat(24, () => "for (const x of xs) p = p.replace('a', x) + p;")],
    ['conditional self-referencing assignments', repeat(40, (i) => `if (c[${i}]) p = p.trim() + p;`)],
    ['unconditional doubling', repeat(40, () => 'p = p + p;')],
  ])('%s: terminates and still reports the volatile value', (_name, writes) => {
    const messages = lint(`let p = 'a'; ${writes}`);
    expect(messages.map((message) => message.messageId)).toEqual(['volatileInSystemPrompt']);
  });
});

describe('values referenced many times', () => {
  it('nested objects each used three times stay bounded (hops copy only the top of deep branches)', () => {
    const consts = ['const O0 = { w: `${Date.now()}` };', ...Array.from({ length: 30 }, (_, i) => `const O${i + 1} = { w: \`\${O${i}}\${O${i}}\${O${i}}\` };`)].join('\n');
    const code = `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nexport const f = () => {\n${consts}\nreturn client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: \`\${O30}\`, cache_control: { type: 'ephemeral' } }], messages: [] });\n};`;
    const messages = new Linter().verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { 'prompt-cache': plugin as never }, rules: { 'prompt-cache/no-volatile-in-prefix': 'error' } }], { filename: 'x.ts' });
    expect(messages.map((message) => message.messageId)).toEqual(['volatileInPrefix']);
  });
});
