import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { beforeEach, describe, expect, it } from 'vitest';

import { getMarkerName } from '../src/analysis/cache-control.js';
import { getMarkerHelperCalls } from '../src/analysis/marker-helpers.js';
import { clearModuleCache, moduleStats } from '../src/analysis/modules.js';
import { createRule } from '../src/create-rule.js';
import plugin from '../src/index.js';

// Real multi-file fixtures: the helpers live in provider.ts / ai-provider.ts (marker values in markers.ts, one
// helper re-exported by index.ts); the requests are in handler.ts / ai-handler.ts.
const fixtures = join(import.meta.dirname, 'fixtures', 'marker-helpers');

async function lint(file: string, config: 'recommended' | 'all' = 'recommended'): Promise<string[]> {
  const eslint = new ESLint({
    cwd: fixtures,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs[config] }],
  });
  const [result] = await eslint.lintFiles([join(fixtures, file)]);
  return result.messages.map((message) => {
    expect(message.fatal, message.message).toBeFalsy();
    return `${message.line}:${message.column} ${message.ruleId} ${message.message}`;
  });
}

/** What the analysis recognises in a file: one line per helper call and marker. */
async function helperCalls(file: string): Promise<string[]> {
  const lines: string[] = [];
  const probe = createRule({
    name: 'probe',
    meta: { type: 'problem', docs: { description: 'Probe', recommended: false }, messages: {}, schema: [] },
    defaultOptions: [],
    create(context) {
      return {
        'Program:exit'() {
          for (const call of getMarkerHelperCalls(context.sourceCode)) {
            const markers = call.markers.map((marker) => `${getMarkerName(marker.kind)} count=${String(marker.count)}${marker.conditional ? ' conditional' : ''}${marker.certain ? '' : ' uncertain'}`);
            lines.push(`${call.call.loc.start.line} ${call.name} ${call.section} [${markers.join('; ')}]${call.conditional ? ' (call conditional)' : ''}`);
          }
        },
      };
    },
  });
  const eslint = new ESLint({
    cwd: fixtures,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { probe: { rules: { probe: probe as never } } }, rules: { 'probe/probe': 'error' } }],
  });
  await eslint.lintFiles([join(fixtures, file)]);
  return lines;
}

describe('marker helpers across modules', () => {
  beforeEach(() => clearModuleCache());

  it('recognises what each imported helper adds, and ignores the ones that add nothing', async () => {
    expect(await helperCalls('handler.ts')).toEqual([
      // a counter loop from the end (`… && n < 2`) with `continue` for non-user turns: at most 2, conditional
      '17 markRecentUserTurns() messages [cache_control count=2 conditional]',
      // `i === msgs.length - 1` and `j === m.content.length - 1`: one block; the value is an imported constant
      '40 markLast() messages [cache_control count=1 conditional]',
      // every message; the value is `config.cacheControl` from markers.ts
      '46 markEvery() messages [cache_control count=null]',
      '52 markRecentUserTurns() messages [cache_control count=2 conditional]',
      // a condition on the item and no bound: counted as unknown (never reported)
      '66 markPinned() messages [cache_control count=null conditional]',
      '82 markRecentUserTurns() messages [cache_control count=2 conditional]',
      // nested helper (prepare → markRecentUserTurns), and a re-export under another name
      '119 prepare() messages [cache_control count=2 conditional]',
      '125 markAll() messages [cache_control count=null]',
    ]);
    // countMarkers (reads markers) and traced (adds none) are no helpers.
    expect(await helperCalls('ai-handler.ts')).toEqual([
      '19 cacheLastMessages() messages [providerOptions.anthropic.cacheControl count=2 conditional]',
      '24 cacheAll() messages [providerOptions.anthropic.cacheControl count=null]',
      '35 cacheLastMessages() messages [providerOptions.anthropic.cacheControl count=2 conditional]',
      // leading system messages, up to the first other one (`break`): how many is unknown
      '41 cacheSystemMessages() messages [providerOptions.anthropic.cacheControl count=null conditional]',
    ]);
  });

  it('counts helper markers toward the four breakpoints and reports at the helper call', async () => {
    expect(await lint('handler.ts')).toEqual([
      '17:3 prompt-cache/max-breakpoints This request can carry 5 cache breakpoints, up to 2 of them added by markRecentUserTurns(); the API allows at most 4 and rejects it with a 400. Remove some markers or merge cached blocks.',
      '46:91 prompt-cache/max-breakpoints cache_control is added by markEvery() for every item of history: with more than 4 items the API rejects the request (400). Mark only the last item (or last few).',
      // the control for `chat` (silent: markLast marks the newest message): the same prompt through a helper that adds no marker
      '102:37 prompt-cache/no-early-breakpoint cache_control here leaves ~450 stable tokens after it uncached (system prompt, before the conversation history), re-sent at full price on every request; about $0.0012 extra per request on claude-sonnet-4-5 ($1.22 per 1,000 requests). Move the breakpoint to the last stable block.',
      '119:15 prompt-cache/max-breakpoints This request can carry 5 cache breakpoints, up to 2 of them added by prepare(); the API allows at most 4 and rejects it with a 400. Remove some markers or merge cached blocks.',
      '125:91 prompt-cache/max-breakpoints cache_control is added by markAll() for every item of history: with more than 4 items the API rejects the request (400). Mark only the last item (or last few).',
    ]);
  });

  it('AI SDK helpers: provider-options markers, named as such; the SDK drops markers past four', async () => {
    expect(await lint('ai-handler.ts')).toEqual([
      '19:81 prompt-cache/max-breakpoints This request can carry 5 cache breakpoints, up to 2 of them added by cacheLastMessages(); the AI SDK keeps at most 4 block markers and drops the others with a warning, so what follows the last kept marker is not cached as intended. Remove some markers or merge cached blocks.',
      '24:74 prompt-cache/max-breakpoints providerOptions.anthropic.cacheControl is added by cacheAll() for every item of history: the AI SDK keeps only the first 4 block markers and drops the others with a warning, so the newest items are never cached. Mark only the last item (or last few).',
      // the control for `support` (silent: cacheLastMessages marks the newest messages)
      '49:42 prompt-cache/no-early-breakpoint providerOptions.anthropic.cacheControl here leaves ~350 stable tokens after it uncached (system prompt, before the conversation history), re-sent at full price on every request; about $0.00094 extra per request on claude-sonnet-4-5 ($0.94 per 1,000 requests). Move the breakpoint to the last stable block.',
    ]);
  });

  it('the `all` config adds nothing on these files', async () => {
    expect(await lint('handler.ts', 'all')).toEqual(await lint('handler.ts'));
    expect(await lint('ai-handler.ts', 'all')).toEqual(await lint('ai-handler.ts'));
  });

  it('parses each helper module at most once per run', async () => {
    await lint('handler.ts');
    await lint('ai-handler.ts');
    const parsed = moduleStats.parsed;
    expect(parsed).toBe(4); // markers.ts, provider.ts, index.ts, ai-provider.ts
    await lint('handler.ts');
    await lint('ai-handler.ts');
    expect(moduleStats.parsed).toBe(parsed);
  });
});
