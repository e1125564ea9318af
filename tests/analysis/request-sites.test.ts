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
  findShapeCalls,
  findRequestSites,
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

/** Every call and `new` expression in the file, in source order (the reference walk). */
function* iterateCalls(sourceCode: SourceCode): Generator<Node> {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'CallExpression' || node.type === 'NewExpression') yield node;
    const childKeys = keys[node.type] ?? [];
    for (let k = childKeys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[childKeys[k]];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (child[i] && typeof child[i].type === 'string') stack.push(child[i] as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        stack.push(child as Node);
      }
    }
  }
}

const ANCHORS = new Map([
  ['messages', 2],
  ['completions', 1],
  ['responses', 1],
]);

/** The name of a member's property: a non-computed identifier or a computed string. */
function propertyName(member: TSESTree.MemberExpression): string | null {
  if (!member.computed) return member.property.type === 'Identifier' ? member.property.name : null;
  return member.property.type === 'Literal' && typeof member.property.value === 'string' ? member.property.value : null;
}

/**
 * The reference: every call whose unwrapped callee is a member chain with an anchor's member at most that
 * anchor's depth below the callee (each object unwrapped), from a walk over all calls.
 */
function shapeCallsByWalk(sourceCode: SourceCode): Node[] {
  const maxDepth = Math.max(...ANCHORS.values());
  return [...iterateCalls(sourceCode)].filter((call) => {
    if (call.type !== 'CallExpression') return false;
    let member = unwrapExpression(call.callee);
    for (let level = 0; level <= maxDepth && member.type === 'MemberExpression'; level++) {
      const name = level > 0 ? propertyName(member) : null;
      if (name !== null && (ANCHORS.get(name) ?? 0) >= level) return true;
      member = unwrapExpression(member.object);
    }
    return false;
  });
}

const calleeTexts = (sourceCode: SourceCode, calls: readonly Node[]) =>
  calls.map((call) => sourceCode.getText((call as TSESTree.CallExpression).callee));

const byPosition = (a: Node, b: Node) => a.range[0] - b.range[0] || b.range[1] - a.range[1];

describe('findShapeCalls: the calls a family recognises by shape, found from the text', () => {
  const SHAPE_CALLS_TS = [
    'client.messages.create({ model });',
    'client.beta.messages.stream(params);',
    'x?.messages.parse(a);',
    "x['messages'].create(a);",
    'x[ /* c */ "messages" ].countTokens(a);',
    '(client.messages as any).create(a);',
    'client.messages!.create(a);',
    '(<any>client.messages).create(a);',
    '(client.messages.create as any)(a);',
    'x./* c */ messages.create(a);',
    'x\n  // c\n  .messages.toolRunner(a);',
    'client.messages.batches.create(b);',
    "client.messages?.batches['create'](b);",
    '(a?.messages).parse(a);',
    'x.messages.create(x.messages.stream(1));',
    'client.chat.completions.create(p);',
    "client.responses['parse'](p);",
    'f.messages.create<T>(a);',
  ].join('\n');

  const NOT_SHAPE_CALLS_TS = [
    'const s = "x.messages.create(a)"; // x.messages.create(a)',
    '/* x.messages.create(a) */',
    'const t = `x.messages.create(${y.messagesX.create(1)})`;',
    'messages.create(a); f(...messages); [...messages];',
    'x.messages(a); x.messages; new x.messages.create(a); x.messages.create;',
    'x.mymessages.create(a); x.messages_.create(a); x.$messages.create(a);',
    'x.messages.a.b.create(a); x.completions.a.create(a);',
    'const o = { messages: 1 }; function messages2() {}',
    'x[messages].create(a); x[`messages`].create(a); x["messages "].create(a);',
    'class C { messages = 1; create() { return this.messages; } }',
    'const r = /x.messages.create(a)/;',
  ].join('\n');

  it('finds every call at most the anchor depth above an anchor member, behind wrappers, comments and optional chains, and nothing else', () => {
    withSourceCode(`${SHAPE_CALLS_TS}\n${NOT_SHAPE_CALLS_TS}`, 'file.ts', (sourceCode) => {
      const found = findShapeCalls(sourceCode, ANCHORS);
      const sorted = [...found].sort(byPosition);
      expect(sorted).toEqual(shapeCallsByWalk(sourceCode));
      expect(calleeTexts(sourceCode, sorted)).toEqual([
        'client.messages.create',
        'client.beta.messages.stream',
        'x?.messages.parse',
        "x['messages'].create",
        'x[ /* c */ "messages" ].countTokens',
        '(client.messages as any).create',
        'client.messages!.create',
        '(<any>client.messages).create',
        'client.messages.create as any',
        'x./* c */ messages.create',
        'x\n  // c\n  .messages.toolRunner',
        'client.messages.batches.create',
        "client.messages?.batches['create']",
        '(a?.messages).parse',
        'x.messages.create',
        'x.messages.stream',
        'client.chat.completions.create',
        "client.responses['parse']",
        'f.messages.create',
      ]);
    });
  });

  it('agrees with the walk in JavaScript scripts (HTML-like comments) and modules', () => {
    const script = 'x.\n<!-- c\nmessages.create(a);\nx.\n--> c\nmessages.stream(b);\nrequire("y").messages.parse(c);';
    withSourceCode(script, 'file.cjs', (sourceCode) => {
      const found = findShapeCalls(sourceCode, ANCHORS);
      expect(calleeTexts(sourceCode, found.sort(byPosition))).toEqual(['x.\n<!-- c\nmessages.create', 'x.\n--> c\nmessages.stream', 'require("y").messages.parse']);
      expect(found).toEqual(shapeCallsByWalk(sourceCode));
    });
    withSourceCode(`${NOT_SHAPE_CALLS_TS.replace('x[`messages`].create(a);', '')}\nx.messages.create(a); x?.['completions'].parse(b);`, 'file.mjs', (sourceCode) => {
      const found = findShapeCalls(sourceCode, ANCHORS);
      expect(calleeTexts(sourceCode, found.sort(byPosition))).toEqual(['x.messages.create', "x?.['completions'].parse"]);
    });
  });

  it('finds names spelled with \\u or \\x escapes from their escapes', () => {
    const code = [
      'client.m\\u0065ssages.create({ model: "m" });',
      'client["m\\x65ssages"].create({ model: "m" });',
      'client.m\\u{65}ss\\u0061ges.batches.create(b);',
      "const s = '\\u0041'; x.\\u0061bc.create(a); x['\\x61'].create(a); x[`m\\x65ssages`].create(a);",
    ].join('\n');
    withSourceCode(code, 'file.ts', (sourceCode) => {
      const found = findShapeCalls(sourceCode, ANCHORS);
      expect(found.sort(byPosition)).toEqual(shapeCallsByWalk(sourceCode));
      expect(calleeTexts(sourceCode, found)).toEqual(['client.m\\u0065ssages.create', 'client["m\\x65ssages"].create', 'client.m\\u{65}ss\\u0061ges.batches.create']);
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

  it('still finds a request spelled with a unicode escape', () => {
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
    "'@langchain/anthropic'",
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

  it('mayContainAnyRequest is true exactly for texts with a word of the supported APIs or an import of LangChain', () => {
    const yes = [
      'messages: Array<MessageParam>;',
      'client.messages.create()',
      'chat.completions',
      'x.responses',
      "from '@aws-sdk/client-bedrock-runtime'",
      "'ai'",
      'from "ai"',
      "import { ChatAnthropic } from '@langchain/anthropic'",
      'require(`langchain`)',
      "import { createAgent } from 'langchain';",
    ];
    // LangChain is traced from its modules only: the word alone (in docs, comments) is not enough.
    const no = ['See @langchain/core for langchain docs', 'langchain/core', 'messaging', 'response', 'completion', "'ai-sdk'", 'nothing to see'];
    for (const text of yes) expect(mayContainAnyRequest(text), text).toBe(true);
    for (const text of no) expect(mayContainAnyRequest(text), text).toBe(false);
  });

  it('raw HTTP needs a client the file can trace: got and ky only as module names', () => {
    expect(httpFamily.mayMatch("import got from 'got'; const messages = 1;")).toBe(true);
    expect(httpFamily.mayMatch('const ky = require(`ky`); // messages')).toBe(true);
    expect(httpFamily.mayMatch('I forgot the messages in the sky')).toBe(false);
    expect(httpFamily.mayMatch('globalThis.fetch; messages')).toBe(true);
  });
});
