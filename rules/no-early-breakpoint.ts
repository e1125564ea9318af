import { createRule } from '../src/create-rule.js';

// Stub: being implemented (see issue 3). Reports nothing yet.
export default createRule({
  name: 'no-early-breakpoint',
  meta: {
    type: 'problem',
    docs: { description: 'TODO', recommended: false },
    messages: { todo: 'todo' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
