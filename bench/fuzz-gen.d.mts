// Types of fuzz-gen.mjs for the TypeScript tests that use it (tests/determinism.test.ts).
export declare class Rng {
  constructor(...seeds: unknown[]);
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export interface FuzzInput {
  /** The module's source text. */
  text: string;
  /** `.ts`, `.mts`, `.mjs`, `.js` or `.cjs`: selects the parser and the module type. */
  ext: string;
  /** Extreme constructs in the input (`extreme:<kind>:<size>`: deep nesting, long chains, huge strings). */
  features: string[];
}

/** Input `index` of the run seeded `seed` (always the same text for the same pair). */
export declare function generateFuzzInput(seed: string | number, index: number): FuzzInput;
