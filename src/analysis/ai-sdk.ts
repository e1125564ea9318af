import type { Layout } from './segment-builder.js';

// Stub: the ai-sdk family is being implemented (issue 5). No sites are found yet.
export const layoutAiSdk: Layout = () => undefined;
