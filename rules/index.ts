import maxBreakpoints from './max-breakpoints.js';
import minCacheableSize from './min-cacheable-size.js';
import noEarlyBreakpoint from './no-early-breakpoint.js';
import noVolatileInPrefix from './no-volatile-in-prefix.js';
import preferStaticPrompt from './prefer-static-prompt.js';
import validCacheControl from './valid-cache-control.js';

/** Rule id → rule module. Configs are computed from each rule's `meta.docs`, never listed by hand. */
export const rules = {
  'max-breakpoints': maxBreakpoints,
  'min-cacheable-size': minCacheableSize,
  'no-early-breakpoint': noEarlyBreakpoint,
  'no-volatile-in-prefix': noVolatileInPrefix,
  'prefer-static-prompt': preferStaticPrompt,
  'valid-cache-control': validCacheControl,
};
