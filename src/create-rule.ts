import { ESLintUtils } from '@typescript-eslint/utils';

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
      const listeners = rule.create(context, options) as Record<string, ((...args: unknown[]) => void) | undefined>;
      const guarded: Record<string, (...args: unknown[]) => void> = {};
      for (const [selector, listener] of Object.entries(listeners)) {
        if (listener) guarded[selector] = (...args) => guard(() => listener(...args), () => undefined);
      }
      return guarded as ReturnType<typeof rule.create>;
    },
  });
