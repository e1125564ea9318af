import { RuleTester } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';

/** TypeScript parser (the default of @typescript-eslint/rule-tester). */
export const ruleTester = new RuleTester();

/** Plain JavaScript through espree: proves the rules need neither TypeScript syntax nor type information. */
export const jsRuleTester = new RuleTester({
  languageOptions: { parser: espree as never, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
});

/** Prefixes `body` with an Anthropic client, so request sites are traced. */
export function sdk(body: string): string {
  return `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n${body}`;
}

/** A stable text of about `tokens` tokens (4 characters each), for prompts that must clear a minimum. */
export function filler(tokens: number): string {
  return 'Rule. '.repeat(Math.ceil((tokens * 4) / 6)).trim();
}
