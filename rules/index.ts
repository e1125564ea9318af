import noVolatileInPrefix from './no-volatile-in-prefix.js';

/** Rule id → rule module. Configs are computed from each rule's `meta.docs`, never listed by hand. */
export const rules = {
  'no-volatile-in-prefix': noVolatileInPrefix,
};
