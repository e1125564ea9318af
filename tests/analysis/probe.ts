import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';

import { Evaluator } from '../../src/analysis/evaluate.js';
import { type Part, type Value } from '../../src/analysis/values.js';
import { findVolatileSources } from '../../src/analysis/volatility.js';

/**
 * Evaluates the initializer of `const probe = …` (the last one in `code`) with the real core, through ESLint's
 * Linter, and returns the value plus a compact dump of its text parts:
 * `text("You are ") volatile(new Date():request) unknown(userName)`.
 */
export function probe(code: string): { value: Value; dump: string } {
  let result: { value: Value; dump: string } | null = null;
  const linter = new Linter();
  const rule = {
    meta: { type: 'problem', schema: [] },
    create(context: TSESLint.RuleContext<string, []>) {
      return {
        'Program:exit'(program: TSESTree.Program) {
          const sourceCode = context.sourceCode;
          const evaluator = new Evaluator(sourceCode, findVolatileSources(sourceCode.scopeManager!.globalScope as TSESLint.Scope.Scope));
          let init: TSESTree.Node | null = null;
          const visit = (node: TSESTree.Node) => {
            if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === 'probe' && node.init) init = node.init;
            for (const key of sourceCode.visitorKeys[node.type] ?? []) {
              const child = (node as unknown as Record<string, unknown>)[key];
              for (const c of Array.isArray(child) ? child : [child]) if (c && typeof (c as TSESTree.Node).type === 'string') visit(c as TSESTree.Node);
            }
          };
          visit(program);
          if (!init) throw new Error('no `const probe = …` in the snippet');
          const value = evaluator.evaluate(init);
          result = { value, dump: dumpParts(evaluator.toParts(value, init)) };
        },
      };
    },
  };
  const messages = linter.verify(code, [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { probe: { rules: { probe: rule as never } } }, rules: { 'probe/probe': 'error' } },
  ], { filename: 'probe.ts' });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  if (!result) throw new Error('probe did not run');
  return result;
}

export function dumpParts(parts: readonly Part[]): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') return `text(${JSON.stringify(part.text)})`;
      if (part.kind === 'volatile') return `volatile(${part.label}:${part.frequency})`;
      const name = part.path ? part.path.join('.') + (part.isCall ? '()' : '') : part.reason;
      return part.branches ? `unknown(${name} | ${part.branches.map(dumpParts).join(' || ')})` : `unknown(${name})`;
    })
    .join(' ');
}
