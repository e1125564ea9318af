import type { ESLint, Linter } from 'eslint';

import { rules } from '../rules/index.js';
import { packageInfo } from './package-info.js';

type ConfigName = 'recommended' | 'all';

const PREFIX = 'prompt-cache';

const plugin = {
  meta: { name: packageInfo.name, version: packageInfo.version, namespace: PREFIX },
  rules: rules as unknown as NonNullable<ESLint.Plugin['rules']>,
  configs: {} as Record<ConfigName, Linter.Config>,
} satisfies ESLint.Plugin;

/** Builds a flat config from rule meta; `pick` decides which rules it turns on. */
function buildConfig(name: ConfigName, pick: (docs: { recommended: boolean }) => boolean): Linter.Config {
  const enabled: Linter.RulesRecord = {};
  for (const [id, rule] of Object.entries(rules)) {
    if (rule.meta.docs && pick(rule.meta.docs)) enabled[`${PREFIX}/${id}`] = 'error';
  }
  return {
    name: `${PREFIX}/${name}`,
    plugins: { [PREFIX]: plugin as ESLint.Plugin },
    rules: enabled,
  };
}

plugin.configs.recommended = buildConfig('recommended', (docs) => docs.recommended);
plugin.configs.all = buildConfig('all', () => true);

export default plugin;

