import { createRule } from '../src/create-rule.js';

// Placeholder while the analysis core is written; replaced in the same session.
export default createRule({
  name: 'no-volatile-in-prefix',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow values that change per request before the last cache breakpoint', recommended: true },
    messages: { volatileInPrefix: '{{what}}' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
