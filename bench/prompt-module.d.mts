// Types of prompt-module.mjs for the TypeScript tests that use it (tests/determinism.test.ts).

/** A realistic TypeScript prompt module made of `scale` feature units (deterministic). */
export declare function generatePromptModule(scale: number): string;
