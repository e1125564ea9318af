import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import {
  type FunctionNode,
  getEnclosingFunction,
  getMemberPath,
  getReturnStatements,
  getStaticKey,
  isFunctionNode,
  isWithin,
  unwrapExpression,
} from './ast.js';
import { type Write, getPrecedingWrites } from './assignments.js';
import { getCommonJsExports, getRequireCall, hasModuleSyntax } from './commonjs.js';
import type { ModuleEvaluators } from './module-evaluators.js';
import {
  type ArrayItem,
  type ArrayValue,
  type DateValue,
  type FunctionValue,
  type ObjectProp,
  type ObjectValue,
  type Part,
  type UnknownPart,
  type Value,
  type VolatilePart,
  getKnownString,
  getKnownText,
  iterateUnknownParts,
  iterateVolatileParts,
  normalizeParts,
  textValue,
  unknownValue,
} from './values.js';
import {
  type SourceInfo,
  coarser,
  getMomentFormatFrequency,
  getUnicodeFormatFrequency,
  isClockFrequency,
} from './volatility.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;
type Clock = 'request' | 'second' | 'minute' | 'hour' | 'day';

/** Hops (identifier → definition, call → function body) followed from one expression. */
export const MAX_HOPS = 12;
/** Evaluation steps per file: a bound on work for pathological input; past it values become unknown. */
export const MAX_STEPS = 40_000;
/** Longest string the evaluator builds (`'x'.repeat(1e9)` stays unknown). */
export const MAX_STRING = 1_000_000;
/** Most iterations of a loop over known items that are followed one by one (`for (const [k, f] of Object.entries(VARS))`). */
export const MAX_UNROLL = 64;
/** Levels of nested branches a hop is added to (deeper parts keep the hops they had). */
const MAX_HOP_BRANCH_DEPTH = 4;
/** Conditional `=` writes of one variable kept as nested choices before they are summarised (2^n paths). */
const MAX_CHOICE_DEPTH = 3;

/** Bindings of parameters (keyed by their declaring identifier) to argument values. */
type Env = Map<Node, () => Value>;

interface Ctx {
  env: Env | null;
  hops: number;
}

const ROOT: Ctx = { env: null, hops: 0 };

/**
 * Bindings of a reassigned variable to its value before a write (`p += p`): read without adding a hop, since
 * a hop copies the value's parts and a value built from itself would be copied again at every write.
 */
const SELF_BINDINGS = new WeakSet<() => Value>();

/** `ctx`'s bindings plus `name` bound to `value` (a {@link SELF_BINDINGS} binding). */
function selfBound(ctx: Ctx, name: TSESTree.Identifier, value: Value): Env {
  const env: Env = new Map(ctx.env ?? []);
  const binding = () => value;
  SELF_BINDINGS.add(binding);
  env.set(name, binding);
  return env;
}

const STRING_IDENTITY_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'normalize', 'toString', 'valueOf']);
const PURE_STRING_METHODS = new Set([
  'at', 'charAt', 'concat', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'padEnd', 'padStart', 'repeat',
  'replace', 'replaceAll', 'slice', 'split', 'startsWith', 'substr', 'substring', 'toLowerCase', 'toUpperCase',
  'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimEnd', 'trimStart', 'trimLeft', 'trimRight', 'normalize',
  'toString', 'valueOf',
]);
const MATH_FUNCTIONS = new Set(['floor', 'round', 'ceil', 'trunc', 'abs', 'min', 'max', 'sign', 'sqrt', 'pow']);
const KNOWN_TEMPLATE_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'oneLine', 'oneLineTrim', 'html', 'md', 'markdown', 'raw', 'codeBlock', 'source']);

/** Date method → precision of its result (null: too coarse to matter, e.g. the year). */
const DATE_METHODS = new Map<string, Clock | null>(Object.entries({
  toISOString: 'request', toJSON: 'request', getTime: 'request', valueOf: 'request', getMilliseconds: 'request',
  getUTCMilliseconds: 'request', toString: 'second', toUTCString: 'second', toGMTString: 'second',
  toLocaleString: 'second', toTimeString: 'second', toLocaleTimeString: 'second', getSeconds: 'second',
  getUTCSeconds: 'second', getMinutes: 'minute', getUTCMinutes: 'minute', getHours: 'hour', getUTCHours: 'hour',
  toDateString: 'day', toLocaleDateString: 'day', getDate: 'day', getUTCDate: 'day', getDay: 'day', getUTCDay: 'day',
  getFullYear: null, getUTCFullYear: null, getMonth: null, getUTCMonth: null, getYear: null, getTimezoneOffset: null,
} as Record<string, Clock | null>));

/**
 * Partial evaluator for prompt text: folds literals, templates, `+`, pure string and array methods, objects,
 * `const` / never-reassigned `let` bindings in any enclosing scope, destructuring, and calls of functions
 * defined in the same file (returns, with parameters bound to the arguments), following at most
 * {@link MAX_HOPS} hops with cycles guarded. Clock, random and id sources come from
 * {@link findVolatileSources} (never from `getStaticValue`, which runs `new Date()` at lint time).
 *
 * One instance per file; results of argument-free evaluations are memoised per node.
 */
export class Evaluator {
  private readonly memo = new WeakMap<Node, Value>();
  /** Text parts of array, choice and object values (see {@link toParts}). */
  private readonly textOf = new WeakMap<Value, Part[]>();
  /** How many conditional writes a choice made by {@link conditionalWrite} stacks. */
  private readonly choiceDepth = new WeakMap<Value, number>();
  private readonly active = new Set<Node>();
  private steps = 0;

  constructor(
    /** The file this evaluator reads (an imported module's for a module evaluator). */
    readonly sourceCode: SourceCode,
    /** The file's clock, random and file-read calls, or a function computing them on first use. */
    private sources: ReadonlyMap<Node, SourceInfo> | (() => ReadonlyMap<Node, SourceInfo>),
    /** The file's path and the evaluators of the modules it imports (null: imports are not followed). */
    private readonly modules: ModuleEvaluators | null = null,
    private readonly path: string | null = null,
  ) {}

  private getSources(): ReadonlyMap<Node, SourceInfo> {
    if (typeof this.sources === 'function') this.sources = this.sources();
    return this.sources;
  }

  /** The value of `node`, as far as it can be known statically. */
  evaluate(node: Node, ctx: Ctx = ROOT): Value {
    if (ctx.env === null) {
      const cached = this.memo.get(node);
      if (cached) return cached;
    }
    if (this.active.has(node) || ++this.steps > MAX_STEPS) return unknownValue(node, 'limit');
    this.active.add(node);
    let value: Value;
    try {
      value = this.evaluateNode(node, ctx);
    } finally {
      this.active.delete(node);
    }
    if (ctx.env === null) this.memo.set(node, value);
    return value;
  }

  /** The value converted to prompt text, as `String(value)` would (objects and functions stay unknown). */
  toParts(value: Value, node: Node): Part[] {
    switch (value.kind) {
      case 'string':
        return value.parts;
      case 'primitive':
        return [{ kind: 'text', text: String(value.value), node: value.node }];
      case 'date':
        return [this.dateText(value, 'toString', node)];
      case 'unknown':
        return [value.part];
      case 'array':
      case 'choice':
      case 'object': {
        // Built once per value: a value used many times (`${A}${A}${A}`, nested) shares its parts instead of
        // multiplying them.
        let parts = this.textOf.get(value);
        if (!parts) {
          if (value.kind === 'array') {
            const joined = this.join(value, textValue(',', node), node);
            parts = joined.kind === 'string' ? joined.parts : [{ kind: 'unknown', node, reason: 'dynamic', via: null }];
          } else if (value.kind === 'choice') {
            parts = this.choiceParts(value.options, node);
          } else {
            parts = [{ kind: 'unknown', node: value.node, reason: 'dynamic', via: null, branches: [this.serialize(value, node)] }];
          }
          this.textOf.set(value, parts);
        }
        return parts;
      }
      case 'function':
        return [{ kind: 'unknown', node: value.node, reason: 'unsupported', via: null }];
    }
  }

  /**
   * JSON-like text of a value (how a tool definition or a `tool_use` input is sent). Unknown leaves stay
   * unknown parts, so volatile values inside a schema are still found.
   */
  serialize(value: Value, node: Node, depth = 0): Part[] {
    if (depth > 20) return [{ kind: 'unknown', node, reason: 'limit', via: null }];
    switch (value.kind) {
      case 'string': {
        const parts: Part[] = [{ kind: 'text', text: '"', node }];
        parts.push(...value.parts, { kind: 'text', text: '"', node });
        return normalizeParts(parts);
      }
      case 'object': {
        const parts: Part[] = [{ kind: 'text', text: '{', node }];
        value.props.forEach((prop, index) => {
          if (prop.key === 'cache_control') return;
          parts.push({ kind: 'text', text: `${index ? ',' : ''}"${prop.key}":`, node: prop.node });
          parts.push(...this.serialize(prop.value, prop.node, depth + 1));
        });
        if (value.partial) {
          const spread = value.spreads?.flatMap((s) => this.toParts(s, value.node));
          parts.push(...(spread?.length ? spread : [{ kind: 'unknown' as const, node: value.node, reason: 'dynamic' as const, via: null }]));
        }
        parts.push({ kind: 'text', text: '}', node });
        return normalizeParts(parts);
      }
      case 'array': {
        const parts: Part[] = [{ kind: 'text', text: '[', node }];
        value.items.forEach((item, index) => {
          if (index) parts.push({ kind: 'text', text: ',', node });
          if (item.kind === 'value') parts.push(...this.serialize(item.value, item.node, depth + 1));
          else parts.push({ kind: 'unknown', node: item.node, reason: 'dynamic', via: null, branches: [this.serialize(item.value, item.node, depth + 1)] });
        });
        parts.push({ kind: 'text', text: ']', node });
        return normalizeParts(parts);
      }
      default:
        return this.toParts(value, node);
    }
  }

  /** A property of an object value: the value, `null` when certainly absent, unknown when it may exist. */
  getProperty(value: Value, key: string, node: Node = 'node' in value ? value.node : (value as { part: Part }).part.node): Value | null {
    if (value.kind === 'object') {
      for (let i = value.props.length - 1; i >= 0; i--) if (value.props[i].key === key) return value.props[i].value;
      return value.partial ? unknownValue(value.node, 'dynamic', { path: [key] }) : null;
    }
    if (value.kind === 'unknown') {
      const part = value.part;
      if (part.kind === 'volatile') return value;
      return unknownValue(node, part.reason === 'parameter' ? 'parameter' : 'member', {
        path: part.path ? [...part.path, key] : undefined,
        via: part.via,
        branches: part.branches,
      });
    }
    if (value.kind === 'array') {
      if (key === 'length') {
        return value.items.every((item) => item.kind === 'value')
          ? { kind: 'primitive', value: value.items.length, node }
          : unknownValue(node, 'dynamic');
      }
      const index = Number(key);
      if (Number.isInteger(index) && index >= 0) {
        for (let i = 0; i <= index && i < value.items.length; i++) {
          if (value.items[i].kind !== 'value') return unknownValue(node, 'dynamic');
        }
        const item = value.items[index];
        return item && item.kind === 'value' ? item.value : null;
      }
      return unknownValue(node, 'member');
    }
    if (value.kind === 'string') {
      const text = getKnownText(value.parts);
      if (key === 'length' && text !== null) return { kind: 'primitive', value: text.length, node };
      return unknownValue(node, 'member', { branches: [value.parts] });
    }
    if (value.kind === 'choice') {
      return { kind: 'choice', options: value.options.map((option) => this.getProperty(option, key, node) ?? { kind: 'primitive', value: undefined, node }), node };
    }
    return unknownValue(node, 'member');
  }

  // ---------------------------------------------------------------------------------------------------------

  private evaluateNode(raw: Node, ctx: Ctx): Value {
    const node = unwrapExpression(raw);
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
        if (typeof node.value === 'string') return textValue(node.value, node);
        if (node.value === null || typeof node.value !== 'object') return { kind: 'primitive', value: node.value as never, node };
        return unknownValue(node, 'unsupported'); // RegExp
      case AST_NODE_TYPES.TemplateLiteral:
        return this.template(node, ctx);
      case AST_NODE_TYPES.TaggedTemplateExpression:
        return this.taggedTemplate(node, ctx);
      case AST_NODE_TYPES.BinaryExpression:
        return this.binary(node, ctx);
      case AST_NODE_TYPES.LogicalExpression:
        return this.logical(node, ctx);
      case AST_NODE_TYPES.ConditionalExpression: {
        const test = this.evaluate(node.test, ctx);
        if (test.kind === 'primitive' || test.kind === 'string') {
          const truthy = test.kind === 'primitive' ? Boolean(test.value) : getKnownString(test) === null ? null : getKnownString(test) !== '';
          if (truthy !== null) return this.evaluate(truthy ? node.consequent : node.alternate, ctx);
        }
        return this.choice([this.evaluate(node.consequent, ctx), this.evaluate(node.alternate, ctx)], node);
      }
      case AST_NODE_TYPES.Identifier:
        return this.identifier(node, ctx);
      case AST_NODE_TYPES.MemberExpression:
        return this.member(node, ctx);
      case AST_NODE_TYPES.CallExpression:
        return this.call(node, ctx);
      case AST_NODE_TYPES.NewExpression:
        return this.construct(node, ctx);
      case AST_NODE_TYPES.AwaitExpression:
        return this.evaluate(node.argument, ctx);
      case AST_NODE_TYPES.ArrayExpression:
        return this.array(node, ctx);
      case AST_NODE_TYPES.ObjectExpression:
        return this.object(node, ctx);
      case AST_NODE_TYPES.SequenceExpression:
        return this.evaluate(node.expressions[node.expressions.length - 1], ctx);
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' ? this.evaluate(node.right, ctx) : unknownValue(node, 'dynamic');
      case AST_NODE_TYPES.UnaryExpression:
        return this.unary(node, ctx);
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
        return { kind: 'function', node, owner: this };
      case AST_NODE_TYPES.ThisExpression:
        return unknownValue(node, 'this', { path: ['this'] });
      default:
        return unknownValue(node, 'unsupported');
    }
  }

  private template(node: TSESTree.TemplateLiteral, ctx: Ctx): Value {
    const parts: Part[] = [];
    node.quasis.forEach((quasi, index) => {
      parts.push({ kind: 'text', text: quasi.value.cooked ?? quasi.value.raw, node: quasi });
      const expression = node.expressions[index];
      if (expression) parts.push(...this.toParts(this.evaluate(expression, ctx), expression));
    });
    return { kind: 'string', parts: normalizeParts(parts) };
  }

  private taggedTemplate(node: TSESTree.TaggedTemplateExpression, ctx: Ctx): Value {
    const path = getMemberPath(node.tag);
    const inner = this.template(node.quasi, ctx);
    if (path && KNOWN_TEMPLATE_TAGS.has(path[path.length - 1])) return inner;
    // An unknown tag: the text is unknown, but a volatile value passed to it still makes it change.
    return unknownValue(node, 'call', { path: path ?? undefined, isCall: true, branches: inner.kind === 'string' ? [inner.parts] : undefined });
  }

  private binary(node: TSESTree.BinaryExpression, ctx: Ctx): Value {
    if (node.left.type === AST_NODE_TYPES.PrivateIdentifier) return unknownValue(node, 'unsupported');
    const left = this.evaluate(node.left, ctx);
    const right = this.evaluate(node.right, ctx);
    if (left.kind === 'primitive' && right.kind === 'primitive') {
      const result = foldBinary(node.operator, left.value, right.value);
      if (result !== NOT_FOLDED) return typeof result === 'string' ? textValue(result, node) : { kind: 'primitive', value: result, node };
    }
    if (node.operator === '+') {
      const isText = (v: Value) => v.kind === 'string' || v.kind === 'date' || v.kind === 'array' || v.kind === 'object' || v.kind === 'choice';
      if (isText(left) || isText(right) || (left.kind === 'unknown' && right.kind === 'unknown')) {
        return { kind: 'string', parts: normalizeParts([...this.toParts(left, node.left), ...this.toParts(right, node.right)]) };
      }
    }
    // Arithmetic on a volatile value stays volatile; dividing a millisecond count lowers its precision.
    const volatile = firstVolatile([left, right], this);
    if (volatile) {
      let frequency = volatile.frequency;
      if (node.operator === '/' && volatile.millis && right.kind === 'primitive' && typeof right.value === 'number') {
        const divisor = right.value;
        if (divisor >= 86_400_000) frequency = 'day';
        else if (divisor >= 3_600_000) frequency = 'hour';
        else if (divisor >= 60_000) frequency = 'minute';
        else if (divisor >= 1000) frequency = 'second';
      }
      return { kind: 'unknown', part: { ...volatile, node: volatile.node, frequency, millis: node.operator === '-' || node.operator === '+' ? volatile.millis : false } };
    }
    return namedOperand([left, right], node) ?? unknownValue(node, 'dynamic');
  }

  private logical(node: TSESTree.LogicalExpression, ctx: Ctx): Value {
    const left = this.evaluate(node.left, ctx);
    const known = left.kind === 'primitive' ? { value: left.value } : left.kind === 'string' && getKnownString(left) !== null ? { value: getKnownString(left) } : left.kind === 'array' || left.kind === 'object' || left.kind === 'function' ? { value: {} } : null;
    if (known) {
      const nullish = known.value === null || known.value === undefined;
      if (node.operator === '??') return nullish ? this.evaluate(node.right, ctx) : left;
      if (node.operator === '||') return known.value ? left : this.evaluate(node.right, ctx);
      if (node.operator === '&&') return known.value ? this.evaluate(node.right, ctx) : left;
    }
    // `cond && x` with an unknown `cond`: either a falsy value or `x` (so `cond && { type: 'ephemeral' }` is
    // not certainly a marker).
    if (node.operator === '&&') return this.choice([{ kind: 'primitive', value: false, node: node.left }, this.evaluate(node.right, ctx)], node);
    return this.choice([left, this.evaluate(node.right, ctx)], node);
  }

  private unary(node: TSESTree.UnaryExpression, ctx: Ctx): Value {
    const argument = this.evaluate(node.argument, ctx);
    if (argument.kind === 'primitive') {
      const v = argument.value as never as number;
      switch (node.operator) {
        case '-': return { kind: 'primitive', value: -v, node };
        case '+': return { kind: 'primitive', value: +v, node };
        case '!': return { kind: 'primitive', value: !v, node };
        case 'void': return { kind: 'primitive', value: undefined, node };
        case 'typeof': return textValue(typeof argument.value, node);
        default: break;
      }
    }
    if (node.operator === 'void') return { kind: 'primitive', value: undefined, node };
    const volatile = firstVolatile([argument], this);
    if (volatile) return { kind: 'unknown', part: volatile };
    return (node.operator === '-' || node.operator === '+' ? namedOperand([argument], node) : null) ?? unknownValue(node, 'dynamic');
  }

  private choice(options: Value[], node: Node): Value {
    const texts = options.map((option) => getKnownString(option));
    if (texts.every((text) => text !== null) && new Set(texts).size === 1) return options[0];
    return { kind: 'choice', options, node };
  }

  private choiceParts(options: Value[], node: Node): Part[] {
    const branches = options.map((option) => this.toParts(option, node));
    const texts = branches.map(getKnownText);
    if (texts.every((text) => text !== null) && new Set(texts).size === 1) return branches[0];
    return [{ kind: 'unknown', node, reason: 'branches', via: null, branches }];
  }

  // --- identifiers --------------------------------------------------------------------------------------

  private identifier(node: TSESTree.Identifier, ctx: Ctx): Value {
    if (node.name === 'undefined') return { kind: 'primitive', value: undefined, node };
    const variable = findVariable(this.sourceCode.getScope(node), node);
    if (!variable || variable.defs.length === 0) {
      if (node.name === 'NaN' || node.name === 'Infinity') return { kind: 'primitive', value: Number(node.name), node };
      return unknownValue(node, 'global', { path: [node.name] });
    }
    const def = variable.defs[0];
    const binding = ctx.env?.get(def.name);
    if (binding) return SELF_BINDINGS.has(binding) ? binding() : withHop(binding(), { node, kind: 'reference', declaredIn: getEnclosingFunction(def.name) }, this);
    if (ctx.hops >= MAX_HOPS) return unknownValue(node, 'limit', { path: [node.name] });
    const inner: Ctx = { env: ctx.env, hops: ctx.hops + 1 };
    const hop = { node, kind: 'reference' as const, declaredIn: getEnclosingFunction(def.name) };
    switch (def.type) {
      case 'Parameter':
        return unknownValue(node, 'parameter', { path: [node.name] });
      case 'ImportBinding': {
        const imported = this.importedValue(def.node as TSESTree.ImportClause | TSESTree.TSImportEqualsDeclaration, inner, hop);
        return imported ?? unknownValue(node, 'import', { path: [node.name] });
      }
      case 'FunctionName':
        // `declare function f(): string` and overload signatures have no body to follow
        return isFunctionNode(def.node) && def.node.body ? { kind: 'function', node: def.node, owner: this } : unknownValue(node, 'call', { path: [node.name] });
      case 'Variable': {
        const declarator = def.node as TSESTree.VariableDeclarator;
        const loop = declarator.parent?.parent;
        if (!declarator.init && loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === declarator.parent && declarator.id === def.name) {
          // `for (const turn of turns)`: an element of the iterated array (of unknown position)
          const source = this.evaluate(loop.right, inner);
          if (source.kind === 'unknown' && source.part.kind === 'unknown') {
            return withHop(unknownValue(node, source.part.reason, { path: source.part.path ? [...source.part.path, '[]'] : [node.name], via: source.part.via }), hop, this);
          }
          return unknownValue(node, 'dynamic', { path: [node.name] });
        }
        if (isReassigned(variable)) {
          // `let prompt = ''; prompt += …` / `prompt = prompt.replace(…)`: the writes before this read, folded.
          const folded = this.reassignedValue(node, declarator, variable, inner);
          return folded ? withHop(folded, hop, this) : unknownValue(node, 'dynamic', { path: [node.name] });
        }
        if (!declarator.init) return unknownValue(node, 'dynamic', { path: [node.name] });
        if (isRequireCall(declarator.init)) return this.requiredBinding(def.name as TSESTree.Identifier, declarator, inner, hop) ?? unknownValue(node, 'import', { path: [node.name] });
        const value = this.bindingValue(def.name as TSESTree.Identifier, declarator, variable, inner);
        return withHop(value, hop, this);
      }
      default:
        return unknownValue(node, 'unsupported', { path: [node.name] });
    }
  }

  /** The value a declared name gets: the initializer, or the destructured piece of it; plus later `.push()`es. */
  private bindingValue(name: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator, variable: Variable, ctx: Ctx): Value {
    const init = declarator.init as Node;
    if (declarator.id === name) {
      const value = this.evaluate(init, ctx.env ? ctx : ROOT);
      if (value.kind === 'array' && init.type !== AST_NODE_TYPES.Identifier) return this.withPushes(value, variable, ctx);
      return value;
    }
    const path = getPatternPath(name, declarator.id);
    if (!path) return unknownValue(name, 'dynamic', { path: [name.name] });
    let value = this.evaluate(init, ctx.env ? ctx : ROOT);
    for (const key of path) {
      const next = this.getProperty(value, key, name);
      if (!next) return { kind: 'primitive', value: undefined, node: name };
      value = next;
    }
    if (value.kind === 'unknown' && value.part.kind === 'unknown') {
      const rootPath = value.part.path;
      return { kind: 'unknown', part: { ...value.part, path: rootPath ?? [name.name] } };
    }
    return value;
  }

  /**
   * The value of a reassigned `let` / `var` at `reference`: its initializer, then each preceding `=` / `+=` in
   * source order, each evaluated with the variable bound to the value before it. A write under a condition
   * gives a choice; writes in a loop over a known array or object (`for (const [k, fn] of Object.entries(VARS))`)
   * are unrolled, item by item; in other loops a `+=` appends an unknown run that keeps the appended parts as
   * its possible content. Null when the writes cannot be followed (see {@link getPrecedingWrites}).
   */
  private reassignedValue(reference: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator, variable: Variable, ctx: Ctx): Value | null {
    if (declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
    const writes = getPrecedingWrites(variable, reference);
    if (!writes) return null;
    const name = declarator.id;
    let value: Value = declarator.init ? this.evaluate(declarator.init, ctx.env ? ctx : ROOT) : { kind: 'primitive', value: undefined, node: declarator };
    for (let i = 0; i < writes.length; ) {
      const write = writes[i];
      if (write.loops.length === 0) {
        value = write.conditional ? this.conditionalWrite(write, name, value, ctx) : this.applyWrite(write, name, value, ctx);
        i++;
        continue;
      }
      const loop = write.loops[write.loops.length - 1];
      let end = i;
      while (end < writes.length && writes[end].loops[writes[end].loops.length - 1] === loop) end++;
      value = this.loopWrites(loop, writes.slice(i, end), name, value, ctx);
      i = end;
    }
    return value;
  }

  /** `x = rhs` / `x += rhs` with `x` bound to `previous`. */
  private applyWrite(write: Write, name: TSESTree.Identifier, previous: Value, ctx: Ctx): Value {
    const right = this.evaluate(write.node.right, { env: selfBound(ctx, name, previous), hops: ctx.hops });
    if (write.operator === '=') return right;
    if (previous.kind === 'primitive' && right.kind === 'primitive') {
      const folded = foldBinary('+', previous.value, right.value);
      if (folded !== NOT_FOLDED) return typeof folded === 'string' ? textValue(folded, write.node) : { kind: 'primitive', value: folded, node: write.node };
    }
    return { kind: 'string', parts: normalizeParts([...this.toParts(previous, write.node.left), ...this.toParts(right, write.node.right)]) };
  }

  /** The writes of one loop (outermost `loop`), unrolled over a known array / object, or summarised. */
  private loopWrites(loop: Node, writes: Write[], name: TSESTree.Identifier, previous: Value, ctx: Ctx): Value {
    const iterations = writes.every((write) => write.loops.length === 1) ? this.loopIterations(loop, ctx) : null;
    if (iterations) {
      let value = previous;
      for (const env of iterations) {
        for (const write of writes) {
          const iteration = { env, hops: ctx.hops };
          value = write.conditional ? this.conditionalWrite(write, name, value, iteration) : this.applyWrite(write, name, value, iteration);
        }
      }
      return value;
    }
    // Any number of iterations: each write may run or not (what one iteration adds stays visible).
    let value = previous;
    for (const write of writes) value = this.conditionalWrite(write, name, value, ctx);
    return value;
  }

  /**
   * A write that may or may not run. `+=` appends an unknown run whose possible content is the appended text;
   * `=` gives a choice of the values before and after, flattened into one unknown run once such choices nest
   * {@link MAX_CHOICE_DEPTH} deep, so that a long series of conditional writes stays linear.
   */
  private conditionalWrite(write: Write, name: TSESTree.Identifier, previous: Value, ctx: Ctx): Value {
    if (write.operator === '+=') {
      const right = this.evaluate(write.node.right, { env: selfBound(ctx, name, previous), hops: ctx.hops });
      const appended: Part = { kind: 'unknown', node: write.node, reason: 'dynamic', via: null, branches: [this.toParts(right, write.node.right)] };
      return { kind: 'string', parts: normalizeParts([...this.toParts(previous, write.node.left), appended]) };
    }
    const next = this.applyWrite(write, name, previous, ctx);
    const depth = (this.choiceDepth.get(previous) ?? 0) + 1;
    if (depth > MAX_CHOICE_DEPTH) return { kind: 'string', parts: [summarise(this.toParts(next, write.node), write.node)] };
    const value = this.choice([previous, next], write.node);
    this.choiceDepth.set(value, depth);
    return value;
  }

  /**
   * One environment per iteration of a loop whose items are known: `for (const x of KNOWN)`,
   * `for (const k in KNOWN_OBJECT)`, `KNOWN.forEach((x, i) => …)` (at most {@link MAX_UNROLL} items). Null otherwise.
   */
  private loopIterations(loop: Node, ctx: Ctx): Env[] | null {
    const base = ctx.env ?? new Map<Node, () => Value>();
    const withBinding = (pattern: Node, item: Value, index?: { pattern: Node; value: number }): Env => {
      const env: Env = new Map(base);
      this.bindPattern(pattern as TSESTree.Parameter, () => item, env);
      if (index) this.bindPattern(index.pattern as TSESTree.Parameter, () => ({ kind: 'primitive', value: index.value, node: index.pattern }), env);
      return env;
    };
    if (loop.type === AST_NODE_TYPES.ForOfStatement || loop.type === AST_NODE_TYPES.ForInStatement) {
      if (loop.left.type !== AST_NODE_TYPES.VariableDeclaration || loop.left.declarations.length !== 1) return null;
      const pattern = loop.left.declarations[0].id;
      const source = this.evaluate(loop.right, ctx);
      if (loop.type === AST_NODE_TYPES.ForInStatement) {
        if (source.kind !== 'object' || source.partial || source.props.length > MAX_UNROLL) return null;
        return source.props.map((prop) => withBinding(pattern, textValue(prop.key, prop.node)));
      }
      if (source.kind !== 'array' || source.items.length > MAX_UNROLL || source.items.some((item) => item.kind !== 'value')) return null;
      return source.items.map((item) => withBinding(pattern, (item as { value: Value }).value));
    }
    if (isFunctionNode(loop) && loop.parent?.type === AST_NODE_TYPES.CallExpression && loop.parent.callee.type === AST_NODE_TYPES.MemberExpression) {
      const callee = loop.parent.callee;
      if (callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'forEach' || loop.params.length === 0) return null;
      const source = this.evaluate(callee.object, ctx);
      if (source.kind !== 'array' || source.items.length > MAX_UNROLL || source.items.some((item) => item.kind !== 'value')) return null;
      return source.items.map((item, i) =>
        withBinding(loop.params[0], (item as { value: Value }).value, loop.params[1] ? { pattern: loop.params[1], value: i } : undefined),
      );
    }
    return null;
  }

  /** `const lines = []; lines.push(a); for (…) lines.push(b)` → `[a, ...b]` (pushes in loops repeat). */
  private withPushes(value: ArrayValue, variable: Variable, ctx: Ctx): ArrayValue {
    const extra: ArrayItem[] = [];
    const front: ArrayItem[] = [];
    for (const reference of variable.references) {
      const id = reference.identifier as Node;
      const member = id.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id || member.computed) continue;
      const call = member.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) continue;
      const method = member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : '';
      if (method !== 'push' && method !== 'unshift') continue;
      const inLoop = isInLoopBelow(call, variable.defs[0].name);
      const items = call.arguments.map((argument): ArrayItem => {
        if (argument.type === AST_NODE_TYPES.SpreadElement) return { kind: 'spread', value: this.evaluate(argument.argument, ctx.env ? ctx : ROOT), node: argument };
        const itemValue = this.evaluate(argument, ctx.env ? ctx : ROOT);
        return inLoop ? { kind: 'repeat', value: itemValue, node: argument } : { kind: 'value', value: itemValue, node: argument };
      });
      if (method === 'push') extra.push(...items);
      else front.unshift(...items);
    }
    if (extra.length === 0 && front.length === 0) return value;
    return { kind: 'array', items: [...front, ...value.items, ...extra], node: value.node };
  }

  // --- members and calls --------------------------------------------------------------------------------

  private member(node: TSESTree.MemberExpression, ctx: Ctx): Value {
    if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier && unwrapExpression(node.object).type === AST_NODE_TYPES.ThisExpression) {
      const own = this.classMember(node, node.property.name, ctx);
      if (own) return own;
    }
    const object = this.evaluate(node.object, ctx);
    const key = this.memberKey(node, ctx);
    if (key === null) {
      if (object.kind === 'unknown') return unknownValue(node, 'member', { via: object.part.via });
      return unknownValue(node, 'dynamic');
    }
    if (object.kind === 'unknown' && object.part.kind === 'unknown' && !object.part.path && object.part.reason !== 'this') {
      return unknownValue(node, 'member', { via: object.part.via, branches: object.part.branches });
    }
    const result = this.getProperty(object, key, node);
    return result ?? { kind: 'primitive', value: undefined, node };
  }

  /**
   * `this.name` inside a class's own method: a method of the class (a function value, so `this.buildSection()`
   * is followed), a getter (its result), or a `readonly` field whose initializer has a known value. Null for
   * anything else (a field set in the constructor, a value the evaluator cannot know): `this.x` stays unknown.
   */
  private classMember(node: TSESTree.MemberExpression, name: string, ctx: Ctx): Value | null {
    let fn = getEnclosingFunction(node);
    while (fn?.type === AST_NODE_TYPES.ArrowFunctionExpression) fn = getEnclosingFunction(fn);
    const owner = fn?.parent;
    if (!fn || (owner?.type !== AST_NODE_TYPES.MethodDefinition && owner?.type !== AST_NODE_TYPES.PropertyDefinition)) return null;
    const body = owner.parent;
    if (body?.type !== AST_NODE_TYPES.ClassBody) return null;
    for (const member of body.body) {
      if ((member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) || member.computed || member.static !== owner.static) continue;
      if (member.key.type !== AST_NODE_TYPES.Identifier || member.key.name !== name) continue;
      if (member.type === AST_NODE_TYPES.MethodDefinition) {
        const method = member.value;
        if (method.type !== AST_NODE_TYPES.FunctionExpression || !method.body) return null;
        if (member.kind === 'method') return { kind: 'function', node: method, owner: this };
        if (member.kind === 'get') return this.callFunction({ kind: 'function', node: method, owner: this }, [], node, ctx.hops);
        continue;
      }
      const value = member.value ? unwrapExpression(member.value) : null;
      if (value && isFunctionNode(value)) return { kind: 'function', node: value, owner: this };
      if (!value || !member.readonly) return null;
      const result = this.evaluate(value, ROOT);
      return result.kind === 'unknown' || result.kind === 'choice' ? null : result;
    }
    return null;
  }

  private memberKey(node: TSESTree.MemberExpression, ctx: Ctx): string | null {
    if (!node.computed) return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : null;
    const key = this.evaluate(node.property, ctx);
    if (key.kind === 'primitive' && (typeof key.value === 'number' || typeof key.value === 'boolean')) return String(key.value);
    return getKnownString(key);
  }

  private call(node: TSESTree.CallExpression, ctx: Ctx): Value {
    const source = this.getSources().get(node);
    if (source) return this.sourceCall(node, source, ctx);
    // `require('./prompts').SYSTEM` written inline: the project module's value
    const required = this.requireValue(node, ctx, null);
    if (required) return required;
    const callee = unwrapExpression(node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = callee.computed ? null : callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
      if (method) {
        const globalCall = this.globalStaticCall(node, callee, method, ctx);
        if (globalCall) return globalCall;
        const object = this.evaluate(callee.object, ctx);
        const result = this.methodCall(node, object, method, ctx);
        if (result) return result;
      }
    }
    if (callee.type === AST_NODE_TYPES.Identifier && (callee.name === 'String' || callee.name === 'Number') && !findVariable(this.sourceCode.getScope(callee), callee)?.defs.length) {
      if (node.arguments.length === 0) return callee.name === 'String' ? textValue('', node) : { kind: 'primitive', value: 0, node };
      const arg = this.evaluate(node.arguments[0], ctx);
      if (callee.name === 'String') return { kind: 'string', parts: this.toParts(arg, node) };
      if (arg.kind === 'primitive') return { kind: 'primitive', value: Number(arg.value), node };
      const volatile = firstVolatile([arg], this);
      return volatile ? { kind: 'unknown', part: volatile } : unknownValue(node, 'dynamic');
    }
    const math = this.mathCall(node, callee, ctx);
    if (math) return math;
    const fn = this.evaluate(callee, ctx);
    if (fn.kind === 'function') return this.invoke(fn, node, ctx);
    return this.opaqueCall(node, ctx);
  }

  /** `Math.floor(x)`, `Math.round(Date.now() / 1000)`: folded when known, volatile when an argument is. */
  private mathCall(node: TSESTree.CallExpression, callee: Node, ctx: Ctx): Value | null {
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
    const object = unwrapExpression(callee.object);
    if (object.type !== AST_NODE_TYPES.Identifier || object.name !== 'Math') return null;
    if (findVariable(this.sourceCode.getScope(object), object)?.defs.length) return null;
    const method = callee.property.name;
    if (!MATH_FUNCTIONS.has(method)) return null;
    const args = node.arguments.map((arg) => (arg.type === AST_NODE_TYPES.SpreadElement ? unknownValue(arg, 'dynamic') : this.evaluate(arg, ctx)));
    if (args.every((arg) => arg.kind === 'primitive' && typeof arg.value === 'number')) {
      const result = (Math as unknown as Record<string, (...n: number[]) => number>)[method](...args.map((arg) => (arg as { value: number }).value));
      return { kind: 'primitive', value: result, node };
    }
    const volatile = firstVolatile(args, this);
    return volatile ? { kind: 'unknown', part: volatile } : (namedOperand(args, node) ?? unknownValue(node, 'dynamic'));
  }

  /** A call the evaluator cannot follow. Its result is unknown but changes with any volatile argument. */
  private opaqueCall(node: TSESTree.CallExpression | TSESTree.NewExpression, ctx: Ctx): Value {
    const path = getMemberPath(node.callee) ?? undefined;
    const branches: Part[][] = [];
    let dateArg: DateValue | null = null;
    for (const argument of node.arguments) {
      if (argument.type === AST_NODE_TYPES.SpreadElement) continue;
      const value = this.evaluate(argument, ctx);
      if (value.kind === 'date' && value.frequency) dateArg ??= value;
      const parts = this.toParts(value, argument);
      if ([...iterateVolatileParts(parts)].length > 0) branches.push(parts);
    }
    if (dateArg) {
      // A date handed to a formatter: a name that says "date" (formatDate, toLocaleDate…) keeps the day only.
      const name = path ? path[path.length - 1] : '';
      const frequency = /date/i.test(name) && !/time/i.test(name) ? coarser(dateArg.frequency!, 'day') : coarser(dateArg.frequency!, 'second');
      return { kind: 'unknown', part: { kind: 'volatile', node: dateArg.node, label: `${path?.join('.') ?? 'format'}(${dateArg.label})`, frequency, via: dateArg.via } };
    }
    // No `via` from the callee: `store.get()` on a module-level `store` still runs on every call.
    return unknownValue(node, 'call', { path, isCall: true, branches: branches.length ? branches : undefined });
  }

  /** `JSON.stringify`, `Object.values`, `Array.from`, `path.join`-free helpers with known results. */
  private globalStaticCall(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression, method: string, ctx: Ctx): Value | null {
    const object = unwrapExpression(callee.object);
    if (object.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(this.sourceCode.getScope(object), object);
    if (variable && variable.defs.length > 0) return null;
    const arg = node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement ? this.evaluate(node.arguments[0], ctx) : null;
    if (object.name === 'JSON' && method === 'stringify' && arg) {
      const parts = this.serialize(arg, node);
      const text = getKnownText(parts);
      if (text !== null && node.arguments.length === 1) {
        try {
          return { ...textValue(JSON.stringify(JSON.parse(text)), node), json: arg };
        } catch {
          return { kind: 'string', parts, json: arg };
        }
      }
      return { kind: 'string', parts, json: arg };
    }
    if (object.name === 'Object' && (method === 'values' || method === 'keys' || method === 'entries') && arg?.kind === 'object' && !arg.partial) {
      const item = (prop: ObjectProp): Value => {
        if (method === 'keys') return textValue(prop.key, prop.node);
        if (method === 'values') return prop.value;
        return { kind: 'array', node: prop.node, items: [{ kind: 'value', value: textValue(prop.key, prop.node), node: prop.node }, { kind: 'value', value: prop.value, node: prop.node }] };
      };
      return { kind: 'array', node, items: arg.props.map((prop) => ({ kind: 'value' as const, value: item(prop), node: prop.node })) };
    }
    if (object.name === 'Array' && method === 'from' && arg?.kind === 'array' && node.arguments.length === 1) return arg;
    return null;
  }

  /**
   * Calls a function (defined in this file or imported): the value of its return(s), with its parameters bound
   * to the arguments, which are evaluated here, in the caller's file.
   */
  private invoke(fn: FunctionValue, call: TSESTree.CallExpression, ctx: Ctx): Value {
    const args = fn.node.params.map((_, index): (() => Value) => {
      const arg = call.arguments[index];
      return lazy(() => (arg && arg.type !== AST_NODE_TYPES.SpreadElement ? this.evaluate(arg, ctx) : { kind: 'primitive', value: undefined, node: call }));
    });
    const value = this.callFunction(fn, args, call, ctx.hops);
    return value.kind === 'unknown' && value.part.kind === 'unknown' && value.part.reason === 'limit'
      ? unknownValue(call, 'limit', { path: getMemberPath(call.callee) ?? undefined, isCall: true })
      : withHop(value, { node: call, kind: 'call' }, this);
  }

  /** Runs `fn` in the evaluator of its own file with the given argument values. */
  private callFunction(fn: FunctionValue, args: ReadonlyArray<() => Value>, call: Node, hops: number): Value {
    const owner = fn.owner instanceof Evaluator ? fn.owner : this;
    return owner.run(fn.node, args, call, hops);
  }

  private run(fn: FunctionNode, args: ReadonlyArray<() => Value>, call: Node, hops: number): Value {
    if (hops >= MAX_HOPS || this.active.has(fn) || ++this.steps > MAX_STEPS) return unknownValue(call, 'limit');
    if (fn.generator) return unknownValue(call, 'unsupported');
    this.active.add(fn);
    try {
      const env: Env = new Map();
      fn.params.forEach((param, index) => this.bindPattern(param, args[index] ?? (() => ({ kind: 'primitive', value: undefined, node: param })), env));
      return this.functionResult(fn, { env, hops: hops + 1 });
    } finally {
      this.active.delete(fn);
    }
  }

  /**
   * The value an import binding refers to, with the import's hop added: the export of a project module, evaluated
   * by that module's own evaluator; the whole module for `import * as ns` and `import ns = require(…)`. Null when
   * imports are not followed or the export cannot be found.
   */
  private importedValue(specifier: TSESTree.ImportClause | TSESTree.TSImportEqualsDeclaration, ctx: Ctx, hop: Hop): Value | null {
    if (!this.modules || !this.path || ctx.hops >= MAX_HOPS) return null;
    if (specifier.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      const reference = specifier.moduleReference;
      if (specifier.importKind === 'type' || reference.type !== AST_NODE_TYPES.TSExternalModuleReference) return null;
      const source = reference.expression;
      if (source.type !== AST_NODE_TYPES.Literal || typeof source.value !== 'string') return null;
      return this.modules.evaluatorFor(this.path, source.value)?.moduleValue(ctx.hops + 1, hop, specifier) ?? null;
    }
    const declaration = specifier.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return null;
    if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type') return null;
    const target = this.modules.evaluatorFor(this.path, String(declaration.source.value));
    if (!target) return null;
    if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return target.namespaceValue(ctx.hops + 1, hop, specifier);
    const name =
      specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
        ? 'default'
        : specifier.imported.type === AST_NODE_TYPES.Identifier
          ? specifier.imported.name
          : String(specifier.imported.value);
    const value = target.exportedValue(name, ctx.hops + 1);
    return value ? withHop(value, hop, this) : null;
  }

  /**
   * The value this module exports under `name`: `export const`, `export function`, `export { a as b }`,
   * re-exports (`export *`, `export * as ns`), default; for a CommonJS module (no `import`/`export` syntax), the
   * property of `module.exports` (`default`: `module.exports` itself, unless the module is marked `__esModule`).
   */
  exportedValue(name: string, hops: number): Value | null {
    if (hops >= MAX_HOPS) return null;
    const program = this.sourceCode.ast;
    const ctx: Ctx = { env: null, hops };
    for (const statement of program.body) {
      if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
        const declaration = statement.declaration;
        if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) {
            if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name) return this.evaluate(declarator.id, ctx);
          }
        } else if (declaration && (declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.TSDeclareFunction) && declaration.id?.name === name) {
          return declaration.type === AST_NODE_TYPES.FunctionDeclaration ? { kind: 'function', node: declaration, owner: this } : null;
        }
        for (const spec of statement.specifiers) {
          const exported = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : String(spec.exported.value);
          if (exported !== name) continue;
          const local = spec.local.type === AST_NODE_TYPES.Identifier ? spec.local.name : String(spec.local.value);
          if (statement.source) {
            const target = this.modules?.evaluatorFor(this.path!, String(statement.source.value));
            return target ? target.exportedValue(local, hops + 1) : null;
          }
          return spec.local.type === AST_NODE_TYPES.Identifier ? this.evaluate(spec.local, ctx) : null;
        }
      } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && name === 'default') {
        const declaration = statement.declaration;
        if (declaration.type === AST_NODE_TYPES.FunctionDeclaration) return { kind: 'function', node: declaration, owner: this };
        if (declaration.type === AST_NODE_TYPES.ClassDeclaration || declaration.type === AST_NODE_TYPES.TSDeclareFunction || declaration.type === AST_NODE_TYPES.TSInterfaceDeclaration) return null;
        return this.evaluate(declaration, ctx);
      } else if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && statement.exported && statement.exportKind !== 'type') {
        // `export * as prompts from './prompts.js'`
        if (statement.exported.name !== name) continue;
        const target = this.modules?.evaluatorFor(this.path!, String(statement.source.value));
        return target ? target.namespaceValue(hops + 1, null, statement) : null;
      }
    }
    for (const statement of program.body) {
      if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && !statement.exported && name !== 'default') {
        const target = this.modules?.evaluatorFor(this.path!, String(statement.source.value));
        const value = target?.exportedValue(name, hops + 1);
        if (value) return value;
      }
    }
    return hasModuleSyntax(program) ? null : this.commonJsExport(name, hops);
  }

  /**
   * What `require()` of this module returns, with `hop` (the importing binding) added: the namespace of an ES
   * module, `module.exports` of a CommonJS one. Null when neither is known.
   */
  private moduleValue(hops: number, hop: Hop | null, node: Node): Value | null {
    if (hops >= MAX_HOPS) return null;
    if (hasModuleSyntax(this.sourceCode.ast)) return this.namespaceValue(hops, hop, node);
    const value = this.commonJsValue(hops);
    return value && hop ? withHop(value, hop, this) : value;
  }

  /**
   * The module namespace object (`import * as prompts`): an object whose properties are the exports, each
   * evaluated only when read (a namespace is mostly used for one or two of its names). For a CommonJS module,
   * the properties of `module.exports` plus `default`. `node` is the importing node (where the object is made).
   */
  private namespaceValue(hops: number, hop: Hop | null, node: Node): Value | null {
    if (hops >= MAX_HOPS) return null;
    const addHop = (value: Value) => (hop ? withHop(value, hop, this) : value);
    if (!hasModuleSyntax(this.sourceCode.ast)) {
      const exports = this.commonJsValue(hops);
      if (!exports) return null;
      const cjs = getCommonJsExports(this.sourceCode);
      const props: ObjectProp[] = exports.kind === 'object' ? exports.props.map((prop) => ({ ...prop, value: addHop(prop.value) })) : [];
      if (!cjs?.esModule) props.push({ key: 'default', value: addHop(exports), node });
      return { kind: 'object', props, node, partial: exports.kind !== 'object' || exports.partial };
    }
    const { names, partial } = this.exportNames(hops, new Set());
    const props = [...names].map((name): ObjectProp => {
      const compute = lazy((): Value => addHop(this.exportedValue(name, hops) ?? unknownValue(node, 'import', { path: [name] })));
      const prop = { key: name, node } as ObjectProp;
      const set = (value: Value) => Object.defineProperty(prop, 'value', { value, writable: true, enumerable: true, configurable: true });
      Object.defineProperty(prop, 'value', { get: compute, set, enumerable: true, configurable: true });
      return prop;
    });
    return { kind: 'object', props, node, partial };
  }

  /** The names this ES module exports (`export *` followed), and whether the list may be incomplete. */
  private exportNames(hops: number, seen: Set<Evaluator>): { names: Set<string>; partial: boolean } {
    const names = new Set<string>();
    if (seen.has(this)) return { names, partial: false }; // an `export *` cycle adds nothing new
    if (hops >= MAX_HOPS) return { names, partial: true };
    seen.add(this);
    let partial = false;
    const addPattern = (pattern: Node): void => {
      if (pattern.type === AST_NODE_TYPES.Identifier) names.add(pattern.name);
      else if (pattern.type === AST_NODE_TYPES.ObjectPattern) pattern.properties.forEach((p) => addPattern(p.type === AST_NODE_TYPES.RestElement ? p.argument : p.value));
      else if (pattern.type === AST_NODE_TYPES.ArrayPattern) pattern.elements.forEach((e) => e && addPattern(e));
      else if (pattern.type === AST_NODE_TYPES.AssignmentPattern) addPattern(pattern.left);
      else if (pattern.type === AST_NODE_TYPES.RestElement) addPattern(pattern.argument);
    };
    const nameOf = (id: TSESTree.Identifier | TSESTree.StringLiteral): string => (id.type === AST_NODE_TYPES.Identifier ? id.name : id.value);
    for (const statement of this.sourceCode.ast.body) {
      if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.exportKind !== 'type') {
        const declaration = statement.declaration;
        if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) declaration.declarations.forEach((d) => addPattern(d.id));
        else if (declaration && declaration.type !== AST_NODE_TYPES.TSInterfaceDeclaration && declaration.type !== AST_NODE_TYPES.TSTypeAliasDeclaration && declaration.id?.type === AST_NODE_TYPES.Identifier) names.add(declaration.id.name);
        for (const spec of statement.specifiers) if (spec.exportKind !== 'type') names.add(nameOf(spec.exported));
      } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
        names.add('default');
      } else if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && statement.exportKind !== 'type') {
        if (statement.exported) {
          names.add(statement.exported.name);
          continue;
        }
        const target = this.modules?.evaluatorFor(this.path!, String(statement.source.value));
        if (!target || !hasModuleSyntax(target.sourceCode.ast)) {
          partial = true; // a package, or a module whose names are not listed
          continue;
        }
        const inner = target.exportNames(hops + 1, seen);
        for (const name of inner.names) if (name !== 'default') names.add(name);
        partial ||= inner.partial;
      }
    }
    return { names, partial };
  }

  /**
   * `module.exports` at the end of this CommonJS module's top level: the value assigned to it, with the
   * properties assigned afterwards (`exports.X = …`) on top. Each value gets a module-level hop (it is computed
   * once, when the module loads). Null when the module is not CommonJS or its exports are not known.
   */
  private commonJsValue(hops: number): Value | null {
    const cjs = getCommonJsExports(this.sourceCode);
    if (!cjs) return null;
    const whole = cjs.whole ? this.commonJsAssigned(cjs.whole.value, cjs.whole.keyNode, hops) : null;
    if (cjs.props.length === 0) return whole && whole.kind === 'object' && cjs.partial ? { ...whole, partial: true } : whole;
    if (whole && whole.kind !== 'object') return whole; // `module.exports = fn; module.exports.x = …`: read per name
    const props = whole ? [...whole.props] : [];
    for (const prop of cjs.props) {
      const index = props.findIndex((p) => p.key === prop.key);
      if (index !== -1) props.splice(index, 1);
      props.push({ key: prop.key, value: this.commonJsAssigned(prop.value, prop.keyNode, hops), node: prop.keyNode, keyNode: prop.keyNode });
    }
    return { kind: 'object', props, node: whole?.node ?? cjs.props[0].keyNode, partial: cjs.partial || (whole?.partial ?? false) };
  }

  /** The export of this CommonJS module under `name` (see {@link exportedValue}). */
  private commonJsExport(name: string, hops: number): Value | null {
    const cjs = getCommonJsExports(this.sourceCode);
    if (!cjs) return null;
    if (name === 'default' && !cjs.esModule) return this.commonJsValue(hops);
    for (let i = cjs.props.length - 1; i >= 0; i--) {
      if (cjs.props[i].key === name) return this.commonJsAssigned(cjs.props[i].value, cjs.props[i].keyNode, hops);
    }
    const whole = cjs.whole ? this.commonJsAssigned(cjs.whole.value, cjs.whole.keyNode, hops) : null;
    return whole?.kind === 'object' ? this.getProperty(whole, name) : null;
  }

  /** A value assigned to the exports at the top level (`module.exports = require('./x')` re-exports). */
  private commonJsAssigned(value: TSESTree.Expression, keyNode: Node, hops: number): Value {
    const ctx: Ctx = { env: null, hops };
    const evaluated = this.requireValue(value, ctx, null) ?? this.evaluate(value, ctx);
    return withHop(evaluated, { node: keyNode, kind: 'reference', declaredIn: null }, this);
  }

  /** `require('./x')`, `require('./x').a.b` of a project module: its value with `hop` added; null when not one. */
  private requireValue(node: Node, ctx: Ctx, hop: Hop | null): Value | null {
    if (!this.modules || !this.path || ctx.hops >= MAX_HOPS) return null;
    const call = getRequireCall(node, this.sourceCode);
    if (!call) return null;
    let value = this.modules.evaluatorFor(this.path, call.specifier)?.moduleValue(ctx.hops + 1, hop, node) ?? null;
    for (const key of call.keys) {
      if (!value) return null;
      if (key === null) return unknownValue(node, 'import');
      value = this.getProperty(value, key, node) ?? { kind: 'primitive', value: undefined, node };
    }
    return value;
  }

  /** The value of a name bound by `const x = require('./x')` / `const { a } = require('./x')` / `const a = require('./x').a`. */
  private requiredBinding(name: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator, ctx: Ctx, hop: Hop): Value | null {
    let value = declarator.init ? this.requireValue(declarator.init, ctx, hop) : null;
    if (!value || declarator.id === name) return value;
    const path = getPatternPath(name, declarator.id);
    if (!path) return null;
    for (const key of path) {
      const next = this.getProperty(value, key, name);
      if (!next) return { kind: 'primitive', value: undefined, node: name };
      value = next;
    }
    // A name missing from a partly known module: unknown, and read when the module loaded (not per request).
    return value.kind === 'unknown' && !value.part.via ? withHop(value, hop, this) : value;
  }

  /** Binds the names a parameter pattern declares to pieces of `value` (lazily). */
  private bindPattern(pattern: TSESTree.Parameter | TSESTree.DestructuringPattern | TSESTree.Expression, value: () => Value, env: Env): void {
    switch (pattern.type) {
      case AST_NODE_TYPES.Identifier:
        env.set(pattern, lazy(() => {
          const v = value();
          if (v.kind === 'unknown' && v.part.kind === 'unknown' && !v.part.path) return { kind: 'unknown', part: { ...v.part, path: [pattern.name] } };
          return v;
        }));
        return;
      case AST_NODE_TYPES.AssignmentPattern:
        this.bindPattern(pattern.left, () => {
          const v = value();
          if (v.kind === 'primitive' && v.value === undefined) return this.evaluate(pattern.right, ROOT);
          return v;
        }, env);
        return;
      case AST_NODE_TYPES.ObjectPattern:
        for (const prop of pattern.properties) {
          if (prop.type === AST_NODE_TYPES.RestElement) continue;
          const key = getStaticKey(prop);
          if (key === null) continue;
          this.bindPattern(prop.value as TSESTree.DestructuringPattern, () => this.getProperty(value(), key, prop) ?? { kind: 'primitive', value: undefined, node: prop }, env);
        }
        return;
      case AST_NODE_TYPES.ArrayPattern:
        pattern.elements.forEach((element, index) => {
          if (!element || element.type === AST_NODE_TYPES.RestElement) return;
          this.bindPattern(element, () => this.getProperty(value(), String(index), element) ?? { kind: 'primitive', value: undefined, node: element }, env);
        });
        return;
      case AST_NODE_TYPES.TSParameterProperty:
        this.bindPattern(pattern.parameter, value, env);
        return;
      default:
        return;
    }
  }

  /** The value a function returns: its expression body, or the choice of all its `return` statements. */
  private functionResult(fn: FunctionNode, ctx: Ctx): Value {
    if (!fn.body) return unknownValue(fn, 'unsupported');
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return this.evaluate(fn.body, ctx);
    const returns = getReturnStatements(fn);
    if (returns.length === 0) return { kind: 'primitive', value: undefined, node: fn };
    const values = returns.map((ret) => (ret.argument ? this.evaluate(ret.argument, ctx) : ({ kind: 'primitive', value: undefined, node: ret } as Value)));
    return values.length === 1 ? values[0] : this.choice(values, fn);
  }

  private construct(node: TSESTree.NewExpression, ctx: Ctx): Value {
    const source = this.getSources().get(node);
    if (source && source.kind === 'date') {
      if (node.arguments.length === 0) return { kind: 'date', lib: 'date', frequency: 'request', label: 'new Date()', node, via: null };
      const args = node.arguments.map((arg) => (arg.type === AST_NODE_TYPES.SpreadElement ? null : this.evaluate(arg, ctx)));
      const volatile = args.find((arg) => arg && arg.kind === 'date' && arg.frequency) as DateValue | undefined;
      if (volatile) return { ...volatile, node };
      const volatilePart = firstVolatile(args.filter((a): a is Value => !!a), this);
      if (volatilePart && isClockFrequency(volatilePart.frequency)) return { kind: 'date', lib: 'date', frequency: volatilePart.frequency, label: volatilePart.label, node, via: volatilePart.via };
      if (args.every((arg) => arg && (arg.kind === 'primitive' || getKnownString(arg) !== null))) {
        return { kind: 'date', lib: 'date', frequency: null, label: this.sourceCode.getText(node), node, via: null };
      }
      return unknownValue(node, 'dynamic');
    }
    return this.opaqueCall(node, ctx);
  }

  /** A call tracked as a clock, random, id or file source. */
  private sourceCall(node: TSESTree.CallExpression, source: SourceInfo, ctx: Ctx): Value {
    if (source.argless && node.arguments.length > 0) {
      // moment(x), dayjs(x), DateTime.local(2024, 1, 1): a given date, volatile only if its input is.
      const arg = node.arguments[0].type === AST_NODE_TYPES.SpreadElement ? null : this.evaluate(node.arguments[0], ctx);
      if (arg?.kind === 'date' && arg.frequency) return { ...arg, lib: source.kind === 'luxon' ? 'luxon' : 'moment', node };
      const volatile = arg ? firstVolatile([arg], this) : null;
      if (volatile && isClockFrequency(volatile.frequency)) return { kind: 'date', lib: source.kind === 'luxon' ? 'luxon' : 'moment', frequency: volatile.frequency, label: volatile.label, node, via: volatile.via };
      return unknownValue(node, 'dynamic');
    }
    switch (source.kind) {
      case 'scalar':
        return { kind: 'unknown', part: { kind: 'volatile', node, label: source.label, frequency: source.frequency, via: null, millis: /now\(\)|hrtime|getTime/.test(source.label) } };
      case 'moment':
      case 'luxon':
      case 'temporal':
      case 'date':
        return { kind: 'date', lib: source.kind, frequency: source.frequency, label: source.label, node, via: null };
      case 'file':
        return unknownValue(node, 'file', { source, path: getMemberPath(node.callee) ?? undefined, isCall: true });
      case 'date-fns':
        return this.dateFnsCall(node, source, ctx);
    }
  }

  private dateFnsCall(node: TSESTree.CallExpression, source: SourceInfo, ctx: Ctx): Value {
    const name = source.name ?? '';
    const args = node.arguments.map((arg) => (arg.type === AST_NODE_TYPES.SpreadElement ? null : this.evaluate(arg, ctx)));
    const date = args[0];
    const noDateArg = name === 'formatDistanceToNow';
    if (!noDateArg && (!date || date.kind !== 'date' || !date.frequency)) {
      const volatile = date ? firstVolatile([date], this) : null;
      return volatile ? { kind: 'unknown', part: volatile } : unknownValue(node, 'call', { path: [name], isCall: true });
    }
    const base = noDateArg ? null : (date as DateValue);
    const baseFrequency: Clock = base?.frequency ?? 'minute';
    const label = `${name}(${base?.label ?? ''})`;
    const via = base?.via ?? null;
    const volatile = (frequency: Clock | null): Value =>
      frequency === null ? unknownValue(node, 'call', { path: [name], isCall: true }) : { kind: 'unknown', part: { kind: 'volatile', node: base?.node ?? node, label, frequency, via } };
    if (name === 'format' || name === 'lightFormat') {
      const format = args[1] ? getKnownString(args[1]) : null;
      const precision = format === null ? 'second' : getUnicodeFormatFrequency(format);
      return volatile(precision === null ? null : coarser(baseFrequency, precision));
    }
    if (name === 'formatISO') {
      const options = args[1];
      const representation = options?.kind === 'object' ? getKnownString(this.getProperty(options, 'representation')) : null;
      return volatile(coarser(baseFrequency, representation === 'date' ? 'day' : 'second'));
    }
    if (name.startsWith('format')) return volatile(coarser(baseFrequency, name === 'formatDistanceToNow' || name === 'formatDistance' || name === 'formatRelative' ? 'minute' : 'second'));
    const unit = /^(?:startOf|endOf)(Day|Hour|Minute|Second|Week|Month|Year)$/.exec(name)?.[1];
    if (unit) {
      const map: Record<string, Clock | null> = { Second: 'second', Minute: 'minute', Hour: 'hour', Day: 'day', Week: null, Month: null, Year: null };
      const precision = map[unit];
      if (precision === null) return { kind: 'date', lib: 'date', frequency: null, label, node, via: null };
      return { kind: 'date', lib: 'date', frequency: coarser(baseFrequency, precision), label, node, via };
    }
    if (name === 'getUnixTime') return volatile(coarser(baseFrequency, 'second'));
    if (name === 'getTime') return volatile(baseFrequency);
    // add*/sub*: the same precision, shifted
    return { kind: 'date', lib: 'date', frequency: baseFrequency, label, node, via };
  }

  /** Methods on evaluated values: strings, arrays, dates, functions (`fn.call`). Null: not handled here. */
  private methodCall(node: TSESTree.CallExpression, object: Value, method: string, ctx: Ctx): Value | null {
    const args = (): Value[] =>
      node.arguments.map((arg) => (arg.type === AST_NODE_TYPES.SpreadElement ? unknownValue(arg, 'dynamic') : this.evaluate(arg, ctx)));
    switch (object.kind) {
      case 'string':
        return this.stringMethod(node, object.parts, method, args(), ctx);
      case 'array':
        return this.arrayMethod(node, object, method, ctx);
      case 'date':
        return this.dateMethod(node, object, method, args());
      case 'primitive':
        if (method === 'toString' || method === 'toFixed' || method === 'toLocaleString') {
          if (typeof object.value === 'number' && method === 'toFixed') {
            const digits = args()[0];
            return textValue(object.value.toFixed(digits?.kind === 'primitive' ? Number(digits.value) : 0), node);
          }
          return textValue(String(object.value), node);
        }
        return null;
      case 'unknown': {
        const part = object.part;
        if (part.kind === 'volatile') return this.volatileMethod(node, part, method, args());
        // `readFileSync(p, 'utf8').trim()`: still the file's text
        if (part.reason === 'file' && STRING_IDENTITY_METHODS.has(method)) return object;
        // `history.map((m) => ({ …, cache_control }))` over an array of unknown length: one repeated item,
        // the callback's result for an unknown element (so markers in the template stay visible).
        if (method === 'map' || method === 'flatMap') {
          const callback = node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement ? this.evaluate(node.arguments[0], ctx) : null;
          if (callback?.kind === 'function') {
            const element = unknownValue(object.part.node, part.reason, { path: part.path ? [...part.path, '[]'] : undefined, via: part.via });
            return { kind: 'array', items: [{ kind: 'repeat', value: this.callWith(callback, [element, unknownValue(node, 'dynamic', { path: ['index'] })], node, ctx), node }], node };
          }
        }
        return null;
      }
      case 'choice': {
        if (!PURE_STRING_METHODS.has(method)) return null;
        const options = object.options.map((option) => this.methodCall(node, option, method, ctx) ?? unknownValue(node, 'call'));
        return this.choice(options, node);
      }
      default:
        return null;
    }
  }

  private stringMethod(node: TSESTree.CallExpression, parts: Part[], method: string, args: Value[], ctx: Ctx = ROOT): Value | null {
    const text = getKnownText(parts);
    const argTexts = args.map((arg) => (arg.kind === 'primitive' ? arg.value : getKnownString(arg)));
    const argsKnown = argTexts.every((arg) => arg !== null || args.length === 0);
    if (text !== null && argsKnown && PURE_STRING_METHODS.has(method) && method !== 'concat' && method !== 'replace' && method !== 'replaceAll') {
      if (method === 'repeat' && text.length * Number(argTexts[0]) > MAX_STRING) return unknownValue(node, 'limit');
      if (method === 'padStart' || method === 'padEnd') {
        if (Number(argTexts[0]) > MAX_STRING) return unknownValue(node, 'limit');
      }
      try {
        const result = (String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[method].apply(text, argTexts);
        if (typeof result === 'string') return textValue(result, node);
        if (Array.isArray(result)) return { kind: 'array', node, items: result.map((item) => ({ kind: 'value' as const, value: textValue(String(item), node), node })) };
        if (typeof result === 'number' || typeof result === 'boolean' || result === undefined) return { kind: 'primitive', value: result as number, node };
      } catch {
        return unknownValue(node, 'dynamic');
      }
    }
    if (STRING_IDENTITY_METHODS.has(method)) return { kind: 'string', parts };
    if (method === 'concat') return { kind: 'string', parts: normalizeParts([...parts, ...args.flatMap((arg) => this.toParts(arg, node))]) };
    if (method === 'toUpperCase' || method === 'toLowerCase' || method === 'toLocaleUpperCase' || method === 'toLocaleLowerCase') {
      return { kind: 'string', parts: parts.map((part) => (part.kind === 'text' ? { ...part, text: method.endsWith('UpperCase') ? part.text.toUpperCase() : part.text.toLowerCase() } : part)) };
    }
    if ((method === 'replace' || method === 'replaceAll') && args.length === 2) {
      if (text !== null) return this.replace(node, text, parts[0]?.node ?? node, method, args[0], args[1], ctx);
      // A template with unknown pieces (`${cwd}`): placeholders in its known text are still replaced.
      const patternNode = node.arguments[0] ? unwrapExpression(node.arguments[0]) : null;
      const global = method === 'replaceAll' || (patternNode?.type === AST_NODE_TYPES.Literal && 'regex' in patternNode && !!patternNode.regex?.flags.includes('g'));
      const result: Part[] = [];
      let done = false;
      for (const part of parts) {
        if (part.kind !== 'text' || done) {
          result.push(part);
          continue;
        }
        const replaced = this.replace(node, part.text, part.node, method, args[0], args[1], ctx);
        if (replaced.kind !== 'string') return unknownValue(node, 'dynamic', { branches: [parts] });
        result.push(...replaced.parts);
        done = !global && !(replaced.parts.length === 1 && replaced.parts[0].kind === 'text' && replaced.parts[0].text === part.text);
      }
      return { kind: 'string', parts: normalizeParts(result) };
    }
    if ((method === 'repeat' || method === 'padStart' || method === 'padEnd') && text === null) {
      return unknownValue(node, 'dynamic', { branches: [parts] });
    }
    if (PURE_STRING_METHODS.has(method)) {
      const volatile = [...iterateVolatileParts(parts)];
      // `new Date().toISOString().slice(0, 10)` or `.split('T')[0]`: an ISO timestamp cut to the day.
      if (volatile.length === 1 && parts.length === 1 && volatile[0] === parts[0] && volatile[0].iso) {
        const cut = isoCut(method, argTexts);
        if (cut) {
          if (cut.kind === 'array') {
            const piece: VolatilePart = { ...volatile[0], frequency: coarserClock(volatile[0].frequency, cut.first), label: `${volatile[0].label}.${method}()` };
            return { kind: 'array', node, items: [{ kind: 'value', value: { kind: 'string', parts: [piece] }, node }, { kind: 'value', value: unknownValue(node, 'dynamic'), node }] };
          }
          return { kind: 'string', parts: [{ ...volatile[0], frequency: coarserClock(volatile[0].frequency, cut.frequency), label: `${volatile[0].label}.${method}()`, iso: false }] };
        }
      }
      return unknownValue(node, 'dynamic', { branches: [parts] });
    }
    return null;
  }

  /** `TEMPLATE.replace('{date}', value)`: the known template with the replacement's parts spliced in. */
  private replace(node: Node, text: string, textNode: Node, method: string, pattern: Value, replacement: Value, ctx: Ctx): Value {
    const patternNode = pattern.kind === 'unknown' ? pattern.part.node : 'node' in pattern ? pattern.node : node;
    let regex: RegExp | null = null;
    const literal = getKnownString(pattern);
    if (literal === null) {
      const raw = unwrapExpression(patternNode);
      if (raw.type === AST_NODE_TYPES.Literal && 'regex' in raw && raw.regex) {
        try {
          regex = new RegExp(raw.regex.pattern, raw.regex.flags);
        } catch {
          return unknownValue(node, 'dynamic');
        }
      } else {
        return unknownValue(node, 'dynamic', { branches: [this.toParts(replacement, node)] });
      }
    }
    const replacementText = getKnownString(replacement);
    if (replacementText !== null) {
      const result = regex ? text.replace(regex, replacementText) : method === 'replaceAll' ? text.split(literal!).join(replacementText) : text.replace(literal!, replacementText);
      return textValue(result, node);
    }
    const matches: Array<{ start: number; end: number; groups: Array<string | undefined> }> = [];
    if (regex) {
      const global = regex.global;
      const re = new RegExp(regex.source, global ? regex.flags : `${regex.flags}g`);
      for (const match of text.matchAll(re)) {
        matches.push({ start: match.index ?? 0, end: (match.index ?? 0) + match[0].length, groups: match.slice(1) });
        if (!global || match[0].length === 0 || matches.length > MAX_UNROLL) break;
      }
    } else if (literal !== '') {
      let from = 0;
      for (;;) {
        const at = text.indexOf(literal!, from);
        if (at === -1) break;
        matches.push({ start: at, end: at + literal!.length, groups: [] });
        from = at + literal!.length;
        if (method === 'replace' || matches.length > MAX_UNROLL) break;
      }
    }
    // A replacer function (`(_, key) => VARIABLES[key]()`, a placeholder table) runs once per match, with the
    // match and its groups as arguments.
    if (replacement.kind === 'function' && matches.length > MAX_UNROLL) return unknownValue(node, 'dynamic');
    const fixedParts = replacement.kind === 'function' ? null : this.toParts(replacement, node);
    const replacementParts = (match: (typeof matches)[number]): Part[] => {
      if (fixedParts) return fixedParts;
      const args: Value[] = [text.slice(match.start, match.end), ...match.groups].map((group) =>
        group === undefined ? { kind: 'primitive', value: undefined, node } : textValue(group, node),
      );
      args.push({ kind: 'primitive', value: match.start, node }, textValue(text, node));
      const result = this.callFunction(replacement as FunctionValue, args.map((arg) => () => arg), node, ctx.hops);
      return this.toParts(result, node);
    };
    const parts: Part[] = [];
    let last = 0;
    for (const match of matches) {
      parts.push({ kind: 'text', text: text.slice(last, match.start), node: textNode });
      parts.push(...replacementParts(match));
      last = match.end;
    }
    parts.push({ kind: 'text', text: text.slice(last), node: textNode });
    return { kind: 'string', parts: normalizeParts(parts) };
  }

  private arrayMethod(node: TSESTree.CallExpression, array: ArrayValue, method: string, ctx: Ctx): Value | null {
    const arg0 = node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement ? node.arguments[0] : null;
    switch (method) {
      case 'join': {
        const separator = arg0 ? this.evaluate(arg0, ctx) : textValue(',', node);
        return this.join(array, separator, node);
      }
      case 'concat': {
        const items = [...array.items];
        for (const arg of node.arguments) {
          if (arg.type === AST_NODE_TYPES.SpreadElement) {
            items.push({ kind: 'spread', value: this.evaluate(arg.argument, ctx), node: arg });
            continue;
          }
          const value = this.evaluate(arg, ctx);
          if (value.kind === 'array') items.push(...value.items);
          else if (value.kind === 'unknown') items.push({ kind: 'spread', value, node: arg });
          else items.push({ kind: 'value', value, node: arg });
        }
        return { kind: 'array', items, node };
      }
      case 'filter': {
        const isBoolean = arg0?.type === AST_NODE_TYPES.Identifier && arg0.name === 'Boolean';
        const items = isBoolean ? array.items.filter((item) => !(item.kind === 'value' && isKnownFalsy(item.value))) : array.items;
        return { kind: 'array', items, node };
      }
      case 'slice':
      case 'flat':
      case 'reverse':
      case 'toReversed':
      case 'sort':
      case 'toSorted':
        return method === 'slice' && node.arguments.length === 0 ? array : { kind: 'array', items: array.items.map((item) => (item.kind === 'value' ? { ...item, kind: 'repeat' as const } : item)), node };
      case 'reduce': {
        // `Object.entries(VARIABLES).reduce((text, [key, fn]) => text.replaceAll(`{${key}}`, fn()), TEMPLATE)`
        const callback = arg0 ? this.evaluate(arg0, ctx) : null;
        const init = node.arguments[1];
        if (callback?.kind !== 'function' || !init || init.type === AST_NODE_TYPES.SpreadElement) return null;
        if (array.items.length > MAX_UNROLL || array.items.some((item) => item.kind !== 'value')) return null;
        let accumulator = this.evaluate(init, ctx);
        array.items.forEach((item, index) => {
          accumulator = this.callWith(callback, [accumulator, (item as { value: Value }).value, { kind: 'primitive', value: index, node: item.node }], node, ctx);
        });
        return accumulator;
      }
      case 'map':
      case 'flatMap': {
        const callback = arg0 ? this.evaluate(arg0, ctx) : null;
        if (!callback || callback.kind !== 'function') return { kind: 'array', items: [{ kind: 'repeat', value: unknownValue(node, 'dynamic'), node }], node };
        const items = array.items.map((item): ArrayItem => {
          const element = item.kind === 'value' ? item.value : unknownValue(item.node, 'dynamic');
          const value = this.callWith(callback, [element], node, ctx);
          return item.kind === 'value' && method === 'map' ? { kind: 'value', value, node: item.node } : { kind: 'repeat', value, node };
        });
        return { kind: 'array', items, node };
      }
      default:
        return null;
    }
  }

  /** Runs a callback with given argument values (for `.map`). */
  private callWith(fn: FunctionValue, args: Value[], call: Node, ctx: Ctx): Value {
    return this.callFunction(fn, args.map((arg) => () => arg), call, ctx.hops);
  }

  /** `array.join(separator)`: the items' text between known separators; unknown runs stay unknown parts. */
  join(array: ArrayValue, separator: Value, node: Node): Value {
    const sep = this.toParts(separator, node);
    const parts: Part[] = [];
    array.items.forEach((item, index) => {
      if (index > 0) parts.push(...sep);
      if (item.kind === 'value') {
        const v = item.value;
        if (!(v.kind === 'primitive' && (v.value === null || v.value === undefined))) parts.push(...this.toParts(v, item.node));
      } else {
        parts.push({ kind: 'unknown', node: item.node, reason: 'dynamic', via: null, branches: [this.toParts(item.value, item.node)] });
      }
    });
    return { kind: 'string', parts: normalizeParts(parts) };
  }

  private dateMethod(node: TSESTree.CallExpression, date: DateValue, method: string, args: Value[]): Value | null {
    if (date.lib === 'date') {
      if (!DATE_METHODS.has(method)) return null;
      const precision = DATE_METHODS.get(method) ?? null;
      if (date.frequency === null || precision === null) return unknownValue(node, 'dynamic');
      let frequency: Clock = precision;
      if ((method === 'toLocaleString' || method === 'toLocaleDateString' || method === 'toLocaleTimeString') && args[1]?.kind === 'object') {
        frequency = intlOptionsPrecision(args[1], this) ?? frequency;
      }
      return { kind: 'string', parts: [this.dateText(date, method, node, frequency)] };
    }
    if (date.frequency === null) return unknownValue(node, 'dynamic');
    const label = `${date.label}.${method}()`;
    const result = (frequency: Clock | null, iso = false): Value =>
      frequency === null ? unknownValue(node, 'dynamic') : { kind: 'string', parts: [{ kind: 'volatile', node: date.node, label, frequency: coarser(date.frequency!, frequency), via: date.via, iso }] };
    const fmt = args[0] ? getKnownString(args[0]) : null;
    if (date.lib === 'moment') {
      if (method === 'format') return result(args.length === 0 ? 'second' : fmt === null ? 'second' : getMomentFormatFrequency(fmt));
      if (method === 'startOf' || method === 'endOf') return this.startOf(date, fmt, node);
      if (['utc', 'local', 'tz', 'locale', 'add', 'subtract', 'clone', 'utcOffset', 'set'].includes(method)) return { ...date, node: date.node };
      if (method === 'toISOString' || method === 'toJSON') return result('request', true);
      if (method === 'unix') return result('second');
      if (method === 'valueOf') return result('request');
      if (method === 'year' || method === 'month') return unknownValue(node, 'dynamic');
      if (method === 'date' || method === 'day' || method === 'calendar') return result('day');
      if (method === 'fromNow' || method === 'toNow') return result('minute');
      return result('second');
    }
    if (date.lib === 'luxon') {
      if (method === 'toFormat') return result(fmt === null ? 'second' : getUnicodeFormatFrequency(fmt));
      if (method === 'toISODate') return result('day');
      if (method === 'toISO' || method === 'toJSON' || method === 'toMillis' || method === 'valueOf') return result('request', method !== 'toMillis');
      if (method === 'toSeconds' || method === 'toUnixInteger') return result('second');
      if (method === 'toLocaleString') {
        const preset = args[0] ? unwrapExpression(node.arguments[0] as Node) : null;
        const presetPath = preset ? getMemberPath(preset) : null;
        const name = presetPath?.[presetPath.length - 1] ?? '';
        return result(args.length === 0 ? 'day' : /SECONDS/.test(name) ? 'second' : /TIME/.test(name) ? 'minute' : 'day');
      }
      if (method === 'startOf' || method === 'endOf') return this.startOf(date, fmt, node);
      if (['setZone', 'toUTC', 'toLocal', 'setLocale', 'plus', 'minus', 'set', 'reconfigure'].includes(method)) return { ...date, node: date.node };
      if (method === 'toJSDate') return { ...date, lib: 'date' };
      return result('second');
    }
    // Temporal
    if (method === 'toString' || method === 'toJSON' || method === 'toLocaleString') return result(date.frequency, method !== 'toLocaleString');
    return result(date.frequency);
  }

  private startOf(date: DateValue, unit: string | null, node: Node): Value {
    const map: Record<string, Clock | null> = { second: 'second', minute: 'minute', hour: 'hour', day: 'day', date: 'day', week: null, isoWeek: null, month: null, quarter: null, year: null };
    const precision = unit === null ? undefined : map[unit.replace(/s$/, '')];
    if (precision === undefined) return { ...date, node };
    if (precision === null) return { ...date, frequency: null, node };
    return { ...date, frequency: coarser(date.frequency!, precision), node };
  }

  /** A volatile scalar used with a method: `Date.now().toString()`, `randomUUID().slice(0, 8)`. */
  private volatileMethod(node: TSESTree.CallExpression, part: VolatilePart, method: string, args: Value[]): Value | null {
    if (part.iso && PURE_STRING_METHODS.has(method)) {
      return this.stringMethod(node, [part], method, args);
    }
    if (PURE_STRING_METHODS.has(method) || method === 'toFixed' || method === 'toLocaleString') {
      return { kind: 'string', parts: [{ ...part, label: `${part.label}.${method}()` }] };
    }
    return null;
  }

  /** Text of a date-like value formatted by `method`. */
  private dateText(date: DateValue, method: string, node: Node, precision: Clock = 'second'): Part {
    if (date.frequency === null) return { kind: 'unknown', node, reason: 'dynamic', via: null };
    const base = date.lib === 'date' ? precision : date.lib === 'luxon' ? 'request' : date.lib === 'temporal' ? date.frequency : 'second';
    return {
      kind: 'volatile',
      node: date.node,
      label: method === 'toString' ? date.label : `${date.label}.${method}()`,
      frequency: coarser(date.frequency, base),
      via: date.via,
      iso: method === 'toISOString' || method === 'toJSON',
      millis: method === 'getTime' || method === 'valueOf',
    };
  }

  // --- literals ----------------------------------------------------------------------------------------

  private array(node: TSESTree.ArrayExpression, ctx: Ctx): Value {
    const items: ArrayItem[] = [];
    for (const element of node.elements) {
      if (!element) {
        items.push({ kind: 'value', value: { kind: 'primitive', value: undefined, node }, node });
      } else if (element.type === AST_NODE_TYPES.SpreadElement) {
        const value = this.evaluate(element.argument, ctx);
        if (value.kind === 'array') items.push(...value.items);
        else items.push({ kind: 'spread', value, node: element });
      } else {
        items.push({ kind: 'value', value: this.evaluate(element, ctx), node: element });
      }
    }
    return { kind: 'array', items, node };
  }

  private object(node: TSESTree.ObjectExpression, ctx: Ctx): ObjectValue {
    const props: ObjectProp[] = [];
    const spreads: Value[] = [];
    let partial = false;
    const set = (prop: ObjectProp) => {
      const existing = props.findIndex((p) => p.key === prop.key);
      if (existing !== -1) props.splice(existing, 1);
      props.push(prop);
    };
    for (const property of node.properties) {
      if (property.type === AST_NODE_TYPES.SpreadElement) {
        const value = this.evaluate(property.argument, ctx);
        if (value.kind === 'object') {
          for (const prop of value.props) set({ ...prop, keyNode: prop.keyNode });
          partial ||= value.partial;
        } else if (value.kind === 'choice' && value.options.every((option) => option.kind === 'object' || isKnownFalsy(option))) {
          // `...(cond && { cache_control })`: each key may or may not be there
          for (const option of value.options) {
            if (option.kind !== 'object') continue;
            partial ||= option.partial;
            for (const prop of option.props) {
              set({ ...prop, value: { kind: 'choice', options: [prop.value, { kind: 'primitive', value: undefined, node: property }], node: property } });
            }
          }
        } else if (!(value.kind === 'primitive' && (value.value === null || value.value === undefined))) {
          partial = true;
          spreads.push(value);
        }
        continue;
      }
      let key = getStaticKey(property);
      if (key === null && property.computed) {
        key = getKnownString(this.evaluate(property.key, ctx));
      }
      if (key === null) {
        partial = true;
        continue;
      }
      const valueNode = property.value as Node;
      const value: Value = property.kind === 'get' || property.kind === 'set' || property.method
        ? isFunctionNode(valueNode) ? { kind: 'function', node: valueNode, owner: this } : unknownValue(valueNode, 'unsupported')
        : this.evaluate(valueNode.type === AST_NODE_TYPES.AssignmentPattern ? valueNode.right : valueNode, ctx);
      set({ key, value, node: property, keyNode: property.key });
    }
    return spreads.length ? { kind: 'object', props, node, partial, spreads } : { kind: 'object', props, node, partial };
  }
}

// --- helpers ----------------------------------------------------------------------------------------------

const NOT_FOLDED = Symbol('not folded');

function foldBinary(operator: string, a: unknown, b: unknown): string | number | boolean | bigint | typeof NOT_FOLDED {
  const x = a as number;
  const y = b as number;
  try {
    switch (operator) {
      case '+': return (x as never as string) + (y as never as string);
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      case '%': return x % y;
      case '**': return x ** y;
      case '===': return x === y;
      case '!==': return x !== y;
      case '==': return x == y; // eslint-disable-line eqeqeq
      case '!=': return x != y; // eslint-disable-line eqeqeq
      case '<': return x < y;
      case '>': return x > y;
      case '<=': return x <= y;
      case '>=': return x >= y;
      default: return NOT_FOLDED;
    }
  } catch {
    return NOT_FOLDED;
  }
}

/**
 * An unknown run standing for `parts` whose possible content is their distinct volatile and named-unknown
 * leaves: what the rules look for, without the nesting that repeated conditional writes build up.
 */
function summarise(parts: Part[], node: Node): Part {
  const leaves: Part[] = [...iterateVolatileParts(parts)];
  for (const part of iterateUnknownParts(parts)) if (part.path || !part.branches) leaves.push(part);
  return { kind: 'unknown', node, reason: 'dynamic', via: null, branches: [leaves.slice(0, 200)] };
}

/**
 * Arithmetic on one named unknown and known numbers (`Math.round(contextUsage * 100)`): the result changes
 * exactly when the named value does, so it keeps the name (and hops) for classification.
 */
function namedOperand(operands: Value[], node: Node): Value | null {
  if (operands.some((operand) => operand.kind !== 'unknown' && operand.kind !== 'primitive')) return null;
  const unknowns = operands.flatMap((operand) => (operand.kind === 'unknown' && operand.part.kind === 'unknown' ? [operand.part] : []));
  if (unknowns.length === 0) return null;
  const [part] = unknowns;
  if (unknowns.length === 1 && part.path) return { kind: 'unknown', part: { kind: 'unknown', node, reason: part.reason, via: part.via, path: part.path, isCall: part.isCall } };
  // `used / limit * 100`: changes when any input does; the inputs stay visible as its possible content.
  return unknownValue(node, 'dynamic', { branches: unknowns.map((unknown) => [unknown]) });
}

function isKnownFalsy(value: Value): boolean {
  if (value.kind === 'primitive') return !value.value;
  if (value.kind === 'string') return getKnownText(value.parts) === '';
  return false;
}

function firstVolatile(values: Value[], evaluator: Evaluator): VolatilePart | null {
  for (const value of values) {
    if (value.kind === 'unknown' && value.part.kind === 'volatile') return value.part;
    if (value.kind === 'date' && value.frequency) {
      const part = evaluator.toParts(value, value.node)[0];
      if (part.kind === 'volatile') return { ...part, millis: true };
    }
    if (value.kind === 'string' || value.kind === 'unknown' || value.kind === 'choice') {
      const parts = evaluator.toParts(value, value.kind === 'unknown' ? value.part.node : value.kind === 'choice' ? value.node : value.parts[0]?.node);
      const first = iterateVolatileParts(parts).next();
      if (!first.done) return first.value;
    }
  }
  return null;
}

function coarserClock(frequency: VolatilePart['frequency'], other: Clock): VolatilePart['frequency'] {
  return isClockFrequency(frequency) ? coarser(frequency, other) : frequency;
}

/** Precision kept by an ISO-8601 cut: `slice(0, 10)` → day, `split('T')` → day for the first piece. */
function isoCut(method: string, args: unknown[]): { kind: 'string'; frequency: Clock } | { kind: 'array'; first: Clock } | null {
  if ((method === 'slice' || method === 'substring' || method === 'substr') && args[0] === 0 && typeof args[1] === 'number') {
    const end = args[1];
    if (end <= 10) return { kind: 'string', frequency: 'day' };
    if (end <= 13) return { kind: 'string', frequency: 'hour' };
    if (end <= 16) return { kind: 'string', frequency: 'minute' };
    if (end <= 19) return { kind: 'string', frequency: 'second' };
    return null;
  }
  if (method === 'split' && args[0] === 'T') return { kind: 'array', first: 'day' };
  return null;
}

/** Precision of `toLocaleString(locale, options)`: the finest unit the options show. */
function intlOptionsPrecision(options: ObjectValue, evaluator: Evaluator): Clock | null {
  const has = (key: string) => evaluator.getProperty(options, key) !== null;
  if (has('fractionalSecondDigits')) return 'request';
  if (has('second') || getKnownString(evaluator.getProperty(options, 'timeStyle')) === 'medium' || getKnownString(evaluator.getProperty(options, 'timeStyle')) === 'long') return 'second';
  if (has('minute') || has('timeStyle')) return 'minute';
  if (has('hour')) return 'hour';
  if (has('day') || has('weekday') || has('dateStyle')) return 'day';
  return null;
}

function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** Whether a variable is written after its declaration (`let x = 1; x = 2`, `x += …`, `x++`). */
function isReassigned(variable: Variable): boolean {
  return variable.references.some((reference) => reference.isWrite() && !reference.init);
}

/** Keys leading from a destructuring pattern's root to `name` (`const { a: { b } } = x` → `['a', 'b']`). */
function getPatternPath(name: Node, root: Node): string[] | null {
  const path: string[] = [];
  let current: Node = name;
  while (current !== root) {
    const parent = current.parent;
    if (!parent) return null;
    if (parent.type === AST_NODE_TYPES.Property && parent.value === current) {
      const key = getStaticKey(parent);
      if (key === null) return null;
      path.unshift(key);
      current = parent.parent as Node; // ObjectPattern
    } else if (parent.type === AST_NODE_TYPES.ArrayPattern) {
      path.unshift(String(parent.elements.indexOf(current as TSESTree.DestructuringPattern)));
      current = parent;
    } else if (parent.type === AST_NODE_TYPES.AssignmentPattern && parent.left === current) {
      current = parent;
    } else {
      return null;
    }
  }
  return path;
}

/**
 * Whether `node` sits in a loop (or a `forEach`/`map` callback) that does not also contain `declaration`: an
 * array declared inside the loop is fresh on each iteration, so a push into it is not repeated.
 */
function isInLoopBelow(node: Node, declaration: Node): boolean {
  let current: Node | undefined = node.parent;
  while (current && !isWithin(declaration, current)) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return true;
      default:
        if (isFunctionNode(current) && current.parent?.type === AST_NODE_TYPES.CallExpression) return true;
        if (isFunctionNode(current)) return false;
    }
    current = current.parent;
  }
  return false;
}

/** `require('x')`, `require('x').y`: a CommonJS import (its value lives in another module). */
function isRequireCall(node: Node): boolean {
  let current = unwrapExpression(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = unwrapExpression(current.object);
  return (
    current.type === AST_NODE_TYPES.CallExpression &&
    current.callee.type === AST_NODE_TYPES.Identifier &&
    current.callee.name === 'require' &&
    current.arguments.length === 1 &&
    current.arguments[0].type === AST_NODE_TYPES.Literal
  );
}


/** Adds a hop in front of every part's chain (deeply), so rules can see how the value was reached. */
function withHop(value: Value, hop: Hop, evaluator: Evaluator, depth = 0, copies = new Map<Part, Part>()): Value {
  if (depth > 8) return value;
  // Parts are shared between values (a string built from itself, branches of branches): copy each part once, so
  // the copy keeps the sharing instead of unfolding it into a tree.
  // Branches deeper than MAX_HOP_BRANCH_DEPTH keep their parts as they are: each reference of a nested value
  // makes its own copy, and unbounded copying multiplies with the nesting (`const B = { t: `${A}${A}` }`…).
  const addPart = <P extends Part>(part: P, branchDepth = 0): P => {
    if (part.kind === 'text') return part;
    const known = copies.get(part);
    if (known) return known as P;
    const copy = { ...part, via: { hop, next: part.via } } as P;
    copies.set(part, copy);
    if (part.kind === 'unknown' && part.branches && branchDepth < MAX_HOP_BRANCH_DEPTH) {
      (copy as UnknownPart).branches = part.branches.map((branch) => branch.map((inner) => addPart(inner, branchDepth + 1)));
    }
    return copy;
  };
  switch (value.kind) {
    case 'string':
      return { ...value, parts: value.parts.map((part) => addPart(part)) };
    case 'unknown':
      return { kind: 'unknown', part: addPart(value.part) };
    case 'date':
      return { ...value, via: { hop, next: value.via } };
    case 'array':
      return { ...value, items: value.items.map((item) => ({ ...item, value: withHop(item.value, hop, evaluator, depth + 1, copies) })) };
    case 'object':
      return { ...value, props: value.props.map((prop) => ({ ...prop, value: withHop(prop.value, hop, evaluator, depth + 1, copies) })) };
    case 'choice':
      return { ...value, options: value.options.map((option) => withHop(option, hop, evaluator, depth + 1, copies)) };
    default:
      return value;
  }
}

type Hop = import('./values.js').Hop;

/** Whether `node` is inside `fn`'s own body (not a nested function's). */
export function isDirectlyIn(node: Node, fn: FunctionNode | null): boolean {
  return getEnclosingFunction(node) === fn && (fn === null || isWithin(node, fn));
}

export type { UnknownPart };
