import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_SYSTEM_PROMPT_NAMES, PROMPT_CANDIDATE_TYPES, compilePromptNames, mayContainSystemPrompt, promptCandidateTypes } from '../src/analysis/implicit-prompts.js';
import { clearModuleCache } from '../src/analysis/modules.js';
import plugin from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'system-prompts');

async function lint(file: string, options?: Record<string, unknown>) {
  const eslint = new ESLint({
    cwd: fixtures,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs.recommended },
      ...(options ? [{ files: ['**/*.ts'], rules: { 'prompt-cache/no-volatile-in-prefix': ['error', options] as ['error', Record<string, unknown>] } }] : []),
    ],
  });
  const [result] = await eslint.lintFiles([join(fixtures, file)]);
  return result.messages.map((message) => `${message.line}:${message.column}-${message.endLine}:${message.endColumn} ${message.ruleId} ${message.message}`);
}

describe('system prompts without a visible request', () => {
  beforeEach(() => clearModuleCache());

  const tail = (message: string) => message.replace(/: system prompts are cached.*$/, '');

  it('reports a date from a builder in another module, where it enters the prompt', async () => {
    expect((await lint('system-prompt.ts')).map(tail)).toEqual([
      '12:38-12:54 prompt-cache/no-volatile-in-prefix new Date().toDateString() changes daily but is part of a system prompt (returned by buildSystemPrompt())',
    ]);
  });

  it('says how many tokens each change rewrites and what to do', async () => {
    const [message] = await lint('system-prompt.ts');
    expect(message).toContain('so each change rewrites ~61+ tokens instead of reading them. Move it into the newest user message, or compute it once per session.');
  });

  it('follows a placeholder table from another module into the functions that expand {datetime}', async () => {
    expect((await lint('placeholders.ts')).map(tail)).toEqual([
      '8:66-8:84 prompt-cache/no-volatile-in-prefix moment().format() changes every minute but is part of a system prompt (returned by getSystemPrompt())',
      '14:92-14:99 prompt-cache/no-volatile-in-prefix moment().format() changes every minute but is part of a system prompt (returned by renderSystemPrompt())',
    ]);
    expect(await lint('variables.ts')).toEqual([]);
  });

  it('reads agent instructions in a file that imports an agent framework', async () => {
    expect((await lint('agent.ts')).map(tail)).toEqual([
      '6:77-6:87 prompt-cache/no-volatile-in-prefix new Date().toLocaleTimeString() changes every second but is part of a system prompt (passed as instructions)',
    ]);
  });

  it('reports a per-turn context measurement appended with += (not the session id or the working directory)', async () => {
    expect((await lint('context-usage.ts')).map(tail)).toEqual([
      '12:29-12:48 prompt-cache/no-volatile-in-prefix state.contextTokens changes on every request but is part of a system prompt (returned by buildSystemPrompt())',
    ]);
  });

  it('reads system messages built in helpers, not the newest user turn', async () => {
    expect((await lint('messages.ts')).map(tail)).toEqual([
      '17:73-17:92 prompt-cache/no-volatile-in-prefix crypto.randomUUID() changes on every request but is part of a system prompt (in a system message)',
    ]);
  });

  it('reads LangChain system messages and [role, text] tuples (listened to only in files that have them)', async () => {
    expect((await lint('langchain-messages.ts')).map(tail)).toEqual([
      '5:78-5:88 prompt-cache/no-volatile-in-prefix new Date().toISOString() changes on every request but is part of a system prompt (in a system message)',
      '11:75-11:85 prompt-cache/no-volatile-in-prefix new Date().toDateString() changes daily but is part of a system prompt (in a system message)',
    ]);
    expect(promptCandidateTypes('const m = [new SystemMessage(x)];')).toContain('NewExpression');
    expect(promptCandidateTypes('const m = [new SystemMessage(x)];')).not.toContain('ArrayExpression');
    expect(promptCandidateTypes("const m = [[ 'system' , x]];")).toContain('ArrayExpression');
    expect(promptCandidateTypes('const systemPrompt = [new Foo(), [1, 2]];')).toEqual([...PROMPT_CANDIDATE_TYPES]);
  });

  it('leaves the request analysis in charge where the prompt is sent with a marker', async () => {
    expect((await lint('provider.ts')).map((message) => message.split(': each change')[0])).toEqual([
      '12:36-12:58 prompt-cache/no-volatile-in-prefix new Date().toDateString() changes daily but sits in the cached prefix (system prompt)',
    ]);
  });

  it('stays silent on values computed once per session or process, and outside LLM code', async () => {
    expect(await lint('session.ts')).toEqual([]);
    expect(await lint('shipping.ts')).toEqual([]);
    expect(await lint('environment.ts')).toEqual([]);
  });

  it('takes the names from systemPromptNames', async () => {
    expect(await lint('preamble.ts')).toEqual([]);
    expect((await lint('preamble.ts', { systemPromptNames: ['preamble'] })).map(tail)).toEqual([
      '7:46-7:56 prompt-cache/no-volatile-in-prefix Date.now() changes on every request but is part of a system prompt (returned by renderPreamble())',
    ]);
    expect(await lint('system-prompt.ts', { systemPromptNames: [] })).toEqual([]);
    expect(await lint('agent.ts', { ignoreFrequencies: ['second'] })).toEqual([]);
  });
});

describe('systemPromptNames matching', () => {
  it('ignores case, _, - and $, allows a builder verb, and nothing else', () => {
    const { identifier } = compilePromptNames(DEFAULT_SYSTEM_PROMPT_NAMES);
    for (const name of ['systemPrompt', 'SYSTEM_PROMPT', '_systemPrompt', 'buildSystemPrompt', 'get_system_prompt', 'renderInstructions', 'system$message', 'SystemInstructions']) {
      expect(identifier.test(name), name).toBe(true);
    }
    for (const name of ['systemPrompts', 'systemPromptCache', 'prompt', 'system', 'rebuildSystemPrompt', 'instruction', 'userInstructions']) {
      expect(identifier.test(name), name).toBe(false);
    }
    expect(compilePromptNames([]).identifier.test('systemPrompt')).toBe(false);
  });

  it('lets every file through the text test that has a name the identifier test accepts', () => {
    const names = compilePromptNames(DEFAULT_SYSTEM_PROMPT_NAMES);
    for (const name of ['systemPrompt', 'SYSTEM_PROMPT', 'system$message', 'get_system_prompt', 'SystemInstructions', 'system-instruction']) {
      expect(mayContainSystemPrompt(`export function f(x) { const ${name} = x; }`, names), name).toBe(true);
    }
    // One-word names count in LLM code only, and the file must contain the word.
    expect(mayContainSystemPrompt(`function f(x) { const renderInstructions = x; }`, names)).toBe(false);
    expect(mayContainSystemPrompt(`import OpenAI from 'openai';\nfunction f(x) { const renderInstructions = x; }`, names)).toBe(true);
    expect(mayContainSystemPrompt(`import OpenAI from 'openai';\nfunction f(x) { const prompt = x; }`, names)).toBe(false);
    // Custom multi-word names are found by their own words.
    const custom = compilePromptNames(['promptPreamble']);
    expect(mayContainSystemPrompt(`function f(x) { const PROMPT_PREAMBLE = x; }`, custom)).toBe(true);
    expect(mayContainSystemPrompt(`function f(x) { const preamble = x; }`, custom)).toBe(false);
    // `[]` turns the scan off.
    expect(mayContainSystemPrompt(`function f(x) { return [{ role: 'system', content: x }]; }`, compilePromptNames([]))).toBe(false);
    expect(mayContainSystemPrompt(`function f(x) { return [{ role: 'system', content: x }]; }`, names)).toBe(true);
  });
});
