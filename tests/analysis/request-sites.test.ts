import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { unwrapExpression } from '../../src/analysis/ast.js';
import { aiSdkFamily } from '../../src/analysis/ai-sdk.js';
import { converseFamily } from '../../src/analysis/converse.js';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { httpFamily } from '../../src/analysis/http-sites.js';
import { langchainFamily } from '../../src/analysis/langchain.js';
import { openaiFamily } from '../../src/analysis/openai.js';
import '../../src/analysis/request.js';
import {
  anthropicSdkFamily,
  findMemberCalls,
  findRequestSites,
  iterateCalls,
  mayContainAnyRequest,
  nodeAt,
  textIncludes,
} from '../../src/analysis/request-sites.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** Runs `inspect` on the `SourceCode` ESLint builds for `code` (TypeScript parser for `.ts`, espree otherwise). */
function withSourceCode<T>(code: string, filename: string, inspect: (sourceCode: SourceCode) => T): T {
  let result: { value: T } | null = null;
  const rule = {
    meta: { type: 'problem', schema: [] },
    create(context: TSESLint.RuleContext<string, []>) {
      return { 'Program:exit': () => void (result = { value: inspect(context.sourceCode) }) };
    },
  };
  const typescript = filename.endsWith('.ts');
  const messages = new Linter().verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
        languageOptions: typescript ? { parser: tsParser as never } : { sourceType: filename.endsWith('.cjs') ? 'commonjs' : 'module' },
        plugins: { t: { rules: { t: rule as never } } },
        rules: { 't/t': 'error' },
      },
    ],
    { filename },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  if (!result) throw new Error('the rule did not run');
  return (result as { value: T }).value;
}

const NAMES = new Set(['create', 'stream', 'parse', 'countTokens', 'toolRunner']);

/** The reference: every call whose unwrapped callee is a member named in NAMES, from a walk over all calls. */
function memberCallsByWalk(sourceCode: SourceCode): Node[] {
  return [...iterateCalls(sourceCode)].filter((call) => {
    if (call.type !== 'CallExpression') return false;
    const member = unwrapExpression(call.callee);
    if (member.type !== 'MemberExpression') return false;
    if (!member.computed) return member.property.type === 'Identifier' && NAMES.has(member.property.name);
    return member.property.type === 'Literal' && typeof member.property.value === 'string' && NAMES.has(member.property.value);
  });
}

const calleeTexts = (sourceCode: SourceCode, calls: readonly Node[]) =>
  calls.map((call) => sourceCode.getText((call as TSESTree.CallExpression).callee));

const byPosition = (a: Node, b: Node) => a.range[0] - b.range[0] || b.range[1] - a.range[1];

describe('findMemberCalls: the member calls a family offers its matcher, found from the text', () => {
  const MEMBER_CALLS_TS = [
    'client.messages.create({ model });',
    'client.beta.messages.stream(params);',
    'x?.parse(a);',
    "x['create'](a);",
    'x[ /* c */ "countTokens" ](a);',
    "x['cr\\x65ate'](a);",
    '(client.messages.create as any)(a);',
    'client.messages.create!(a);',
    '(<any>client.messages.create)(a);',
    'x./* c */ create(a);',
    'x\n  // c\n  .toolRunner(a);',
    'x. // c\n  stream(a);',
    '(a?.b.parse)(a);',
    'f.create<T>(a);',
    'x?.["stream"](a);',
    'x.create(x.stream(x.parse(1)));',
  ].join('\n');

  const NOT_MEMBER_CALLS_TS = [
    'const s = "x.create(a)"; // x.create(a)',
    '/* x.create(a) */',
    'const t = `x.create(${y.createX(1)})`;',
    'create(a); f(...create); [...create];',
    'x.createX(a); x.creat(a); x.create; new x.create(a);',
    'class C { create() { return this.parse; } }',
    'const o = { create: 1, stream() {} };',
    "x[create](a); x[`create`](a); x['creates'](a);",
    'const r = /x.create(a)/;',
  ].join('\n');

  it('finds every call shaped x.name(…) / x[\'name\'](…) behind wrappers, comments and optional chains, and nothing else', () => {
    withSourceCode(`${MEMBER_CALLS_TS}\n${NOT_MEMBER_CALLS_TS}`, 'file.ts', (sourceCode) => {
      const found = findMemberCalls(sourceCode, NAMES);
      expect(found).not.toBeNull();
      const reference = memberCallsByWalk(sourceCode);
      expect([...found!].sort(byPosition)).toEqual(reference);
      expect(calleeTexts(sourceCode, [...found!].sort(byPosition))).toEqual([
        'client.messages.create',
        'client.beta.messages.stream',
        'x?.parse',
        "x['create']",
        'x[ /* c */ "countTokens" ]',
        "x['cr\\x65ate']",
        'client.messages.create as any',
        'client.messages.create!',
        '<any>client.messages.create',
        'x./* c */ create',
        'x\n  // c\n  .toolRunner',
        'x. // c\n  stream',
        'a?.b.parse',
        'f.create',
        'x?.["stream"]',
        'x.create',
        'x.stream',
        'x.parse',
      ]);
    });
  });

  it('agrees with the walk in JavaScript scripts (HTML-like comments) and modules', () => {
    const script = 'x.\n<!-- c\ncreate(a);\nx.\n--> c\nstream(b);\nrequire("y").parse(c);';
    withSourceCode(script, 'file.cjs', (sourceCode) => {
      const found = findMemberCalls(sourceCode, NAMES)!;
      expect(calleeTexts(sourceCode, found.sort(byPosition))).toEqual(['x.\n<!-- c\ncreate', 'x.\n--> c\nstream', 'require("y").parse']);
      expect(found).toEqual(memberCallsByWalk(sourceCode));
    });
    withSourceCode(`${NOT_MEMBER_CALLS_TS.replace('x[`create`](a);', '')}\nx.create(a); x?.['parse'](b);`, 'file.mjs', (sourceCode) => {
      const found = findMemberCalls(sourceCode, NAMES)!;
      expect(calleeTexts(sourceCode, found.sort(byPosition))).toEqual(['x.create', "x?.['parse']"]);
    });
  });

  it('gives up (null) when an identifier may be spelled with a unicode escape', () => {
    withSourceCode('client.messages.cr\\u0065ate({ model: "m" });', 'file.ts', (sourceCode) => {
      expect(findMemberCalls(sourceCode, NAMES)).toBeNull();
      // The reference still sees the call: the caller falls back to every call of the file.
      expect(memberCallsByWalk(sourceCode)).toHaveLength(1);
    });
  });
});

describe('findRequestSites', () => {
  const sitesOf = (code: string, filename = 'file.ts') =>
    withSourceCode(code, filename, (sourceCode) => {
      const evaluator = new Evaluator(sourceCode, new Map());
      return findRequestSites(sourceCode, evaluator).map((site) => `${site.provider}:${site.method}:${site.traced ? 'traced' : 'shape'}@${site.call.loc.start.line}:${site.call.loc.start.column}`);
    });

  it('returns traced and shape-matched requests of every family in traversal order (outer call before inner)', () => {
    const code = [
      "import Anthropic from '@anthropic-ai/sdk';",
      "import OpenAI from 'openai';",
      "import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';",
      'const client = new Anthropic();',
      'const openai = new OpenAI();',
      'async function f(other: any) {',
      "  await other.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: String(await client.messages.countTokens({ model: 'm', messages: [] })) }] });",
      "  const cmd = new ConverseCommand({ modelId: 'm', messages: [] });",
      "  await openai.chat.completions.create({ model: 'gpt', messages: [] });",
      "  await fetch('https://api.anthropic.com/v1/messages', { method: 'POST', body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [] }) });",
      "  await (other.beta.messages.toolRunner as any)({ model: 'm', max_tokens: 1, messages: [], tools: [] });",
      '}',
    ].join('\n');
    expect(sitesOf(code)).toEqual([
      'anthropic-sdk:create:shape@7:8',
      'anthropic-sdk:countTokens:traced@7:108',
      'bedrock-converse:converse:traced@8:14',
      'openai:chat.completions:traced@9:8',
      'http:create:traced@10:8',
      'anthropic-sdk:toolRunner:shape@11:8',
    ]);
  });

  it('still finds a request spelled with a unicode escape (every call is asked about)', () => {
    expect(sitesOf("async function f(c: any) { await c.messages.cr\\u0065ate({ model: 'm', max_tokens: 1, messages: [] }); }")).toEqual(['anthropic-sdk:create:shape@1:33']);
  });

  it('asks no family about files without any of their keywords', () => {
    expect(sitesOf("const x = client.chat.create({ model: 'm', max_tokens: 1 });")).toEqual([]);
  });
});

describe('nodeAt', () => {
  it('finds the innermost node at every offset, as a full walk does (holes in arrays included)', () => {
    const js = 'const a = [, 1, , [2, , f(x.y, "s")], ...b];\nfunction g(p = 1, { q } = {}) { return `t${p}u${q}`; }\nclass K { m() { return this.n?.(1); } }\n';
    for (const [filename, code] of [['file.ts', `${js}let t: { [k: string]: number } = (x as any)!;\n`], ['file.js', js]]) {
      withSourceCode(code, filename, (sourceCode) => {
        const nodes: Node[] = [];
        const visit = (node: Node) => {
          nodes.push(node);
          for (const key of sourceCode.visitorKeys[node.type] ?? []) {
            const child = (node as unknown as Record<string, unknown>)[key];
            for (const item of Array.isArray(child) ? child : [child]) if (item && typeof (item as Node).type === 'string') visit(item as Node);
          }
        };
        visit(sourceCode.ast);
        for (let index = 0; index < code.length; index++) {
          // The deepest node containing the offset, the first in walk order among equals.
          let expected: Node = sourceCode.ast;
          const depth = (node: Node) => {
            let d = 0;
            for (let n: Node | undefined = node; n?.parent; n = n.parent) d++;
            return d;
          };
          for (const node of nodes) if (node.range[0] <= index && index < node.range[1] && depth(node) > depth(expected)) expected = node;
          expect(nodeAt(sourceCode, index)).toBe(expected);
        }
      });
    }
  });
});

describe('per-file bail-out', () => {
  const FAMILIES = [anthropicSdkFamily, httpFamily, openaiFamily, converseFamily, aiSdkFamily, langchainFamily];
  const TEXTS = [
    'client.messages.create()',
    'fetch(url, { body }) // messages',
    "import got from 'got'; // messages",
    'forgot the messages; sky',
    'completions',
    'x.responses',
    "from '@aws-sdk/client-bedrock-runtime'",
    "import { generateText } from 'ai'",
    'require("ai")',
    '@langchain/anthropic',
    'nothing to see',
    'the axios module, not a request',
    'messages sent with axios',
    '',
  ];

  it('textIncludes answers like String#includes, with or without an anchor, as texts change', () => {
    for (const text of [...TEXTS, ...TEXTS]) {
      for (const [word, anchor] of [['messages', 'messa'], ['axios', 'xios'], ['fetch', undefined], ['langchain', 'gchain'], ['got', 'ot']] as const) {
        expect(textIncludes(text, word, anchor)).toBe(text.includes(word));
        expect(textIncludes(text, word, anchor)).toBe(text.includes(word));
      }
    }
  });

  it('mayContainAnyRequest is true exactly when some family may match (repeated texts included)', () => {
    for (const text of [...TEXTS, ...TEXTS]) expect(mayContainAnyRequest(text)).toBe(FAMILIES.some((family) => family.mayMatch(text)));
  });

  it('mayContainAnyRequest is true exactly for texts with one of the words of the supported APIs', () => {
    const WORDS = /messages|completions|responses|client-bedrock-runtime|langchain|'ai'|"ai"/;
    for (const text of [...TEXTS, 'chat.completions', 'langchain/core', '@aws-sdk/client-bedrock-runtime', "'ai'", 'from "ai"', 'messaging', 'response']) {
      expect(mayContainAnyRequest(text)).toBe(WORDS.test(text));
    }
  });

  it('raw HTTP needs a client the file can trace: got and ky only as module names', () => {
    expect(httpFamily.mayMatch("import got from 'got'; const messages = 1;")).toBe(true);
    expect(httpFamily.mayMatch('const ky = require(`ky`); // messages')).toBe(true);
    expect(httpFamily.mayMatch('I forgot the messages in the sky')).toBe(false);
    expect(httpFamily.mayMatch('globalThis.fetch; messages')).toBe(true);
  });
});
