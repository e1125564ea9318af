import { ESLintUtils } from '@typescript-eslint/utils';

import { REPO_URL } from './package-info.js';

/** Extra `meta.docs` fields of our rules. */
export interface PluginDocs {
  /** Whether the rule is part of `configs.recommended` (near-certainly a real problem when reported). */
  recommended: boolean;
  requiresTypeChecking?: boolean;
}

/** `RuleCreator` that points `meta.docs.url` at the rule's page in `docs/rules/`. */
export const createRule = ESLintUtils.RuleCreator<PluginDocs>(
  (name) => `${REPO_URL}/blob/main/docs/rules/${name}.md`,
);
