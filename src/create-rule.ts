import { ESLintUtils } from '@typescript-eslint/utils';

import { registerFile } from './analysis/module-evaluators.js';
import { perFile } from './analysis/per-file-cache.js';
import { mayContainAnyRequest } from './analysis/request-sites.js';
import { guard } from './guard.js';
import { REPO_URL } from './package-info.js';

/** Extra `meta.docs` fields of our rules. */
export interface PluginDocs {
  /** Whether the rule is part of `configs.recommended` (near-certainly a real problem when reported). */
  recommended: boolean;
  requiresTypeChecking?: boolean;
}

const baseCreateRule = ESLintUtils.RuleCreator<PluginDocs>((name) => `${REPO_URL}/blob/main/docs/rules/${name}.md`);

/**
 * `RuleCreator` that points `meta.docs.url` at the rule's page in `docs/rules/`, and wraps every listener in
 * {@link guard}: a rule never throws into the user's lint run (strict mode rethrows, for tests).
 */
export const createRule: typeof baseCreateRule = (rule) =>
  baseCreateRule({
    ...rule,
    create(context, options) {
      // Most linted files call no LLM API: then no rule has anything to do, so none registers a listener.
      if (!perFile(context.sourceCode, 'may-contain-requests', () => mayContainAnyRequest(context.sourceCode.text))) return {};
      // Cross-module analysis needs the file's path and the project root (imports are followed inside it only).
      registerFile(context.sourceCode, context.physicalFilename, context.cwd);
      const listeners = rule.create(withLocalReports(context), options) as Record<string, ((...args: unknown[]) => void) | undefined>;
      const guarded: Record<string, (...args: unknown[]) => void> = {};
      for (const [selector, listener] of Object.entries(listeners)) {
        if (listener) guarded[selector] = (...args) => guard(() => listener(...args), () => undefined);
      }
      return guarded as ReturnType<typeof rule.create>;
    },
  });

/**
 * A context whose `report` drops reports on nodes of another file (values followed into imported modules carry
 * their nodes; a report must always point into the linted file). Strict mode throws instead.
 */
function withLocalReports<C extends { sourceCode: { ast: unknown }; report: (descriptor: never) => void }>(context: C): C {
  const report = (descriptor: { node?: { parent?: unknown } }) => {
    if (descriptor.node) {
      let root: { parent?: unknown } = descriptor.node;
      while (root.parent) root = root.parent as { parent?: unknown };
      if (root !== context.sourceCode.ast) {
        if (process.env.PROMPT_CACHE_STRICT === '1') throw new Error('report on a node outside the linted file');
        return;
      }
    }
    context.report(descriptor as never);
  };
  return Object.create(context, { report: { value: report } }) as C;
}
