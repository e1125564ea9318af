import type { Layout } from './segment-builder.js';

// Stub: the langchain family is being implemented (issue 5). No sites are found yet.
export const layoutLangChain: Layout = () => undefined;
