import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { type FunctionNode, getEnclosingFunction, getReturnStatements, getStaticKey, isFunctionNode, isWithin, splitWords, unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { type VolatilityOptions, getReportNodeIn, isComputedPerCall, iterateChangingParts } from './prefix.js';
import { type FileAnalysis, estimateParts } from './request.js';
import { mayContainAnyRequest } from './request-sites.js';
import { type Part, type UnknownPart, type VolatilePart, iterateUnknownParts, iterateVolatileParts } from './values.js';
import type { ReportableFrequency } from './volatility.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** Names that mark a value as a system prompt (option `systemPromptNames` of `no-volatile-in-prefix`). */
export const DEFAULT_SYSTEM_PROMPT_NAMES = ['systemPrompt', 'systemMessage', 'systemInstruction', 'systemInstructions', 'instructions'];

/** Verbs of builder functions: `buildSystemPrompt`, `getSystemPrompt`, `renderInstructions`. */
const BUILDER_VERBS = ['build', 'get', 'make', 'create', 'render', 'compose', 'generate', 'format', 'assemble', 'construct', 'prepare', 'load'];

/** Method names of LLM requests: a system prompt written in their arguments belongs to that request. */
const REQUEST_METHODS = new Set([
  'create', 'stream', 'parse', 'countTokens', 'generateText', 'streamText', 'generateObject', 'streamObject',
  'invoke', 'batch', 'converse', 'send', 'chat', 'complete', 'completion', 'fetch', 'post', 'request',
]);

/** Roles whose message content is a system prompt (`developer` is OpenAI's name for it). */
const SYSTEM_ROLES = new Set(['system', 'developer']);

/**
 * How a system prompt was recognised:
 * - `variable`: a variable named like one (`const systemPrompt = …` in a function);
 * - `function`: the return value of a function or method named like one (`buildSystemPrompt()`, `get instructions()`);
 * - `property`: an option named like one (`new Agent({ instructions: … })`, `{ systemPrompt: … }`);
 * - `message`: a `role: 'system'` message, LangChain's `new SystemMessage(…)` or `['system', …]` tuple.
 */
export type ImplicitPromptKind = 'variable' | 'function' | 'property' | 'message';

/** Text that is evidently a system prompt, though no request or cache marker is visible around it. */
export interface ImplicitPrompt {
  kind: ImplicitPromptKind;
  /** How the prompt is named in messages: `buildSystemPrompt()`, `systemPrompt`, `instructions`, `system message`. */
  name: string;
  /** The expression whose value is the text (an initializer, a `return` argument, an option value). */
  node: Node;
  /** The function the text is built in, on every call. */
  fn: FunctionNode;
  parts: Part[];
}

/** A changing value in an implicit system prompt. */
export interface ImplicitFinding {
  prompt: ImplicitPrompt;
  part: VolatilePart | UnknownPart;
  label: string;
  frequency: ReportableFrequency;
  /** Where the value enters the prompt in the prompt's function. */
  reportNode: Node;
  /** Tokens of the prompt (a lower bound when `complete` is false): what each change rewrites. */
  tokens: { tokens: number; complete: boolean };
}

/** Compiled `systemPromptNames`. */
export interface PromptNames {
  /** Normalised names (lower case, no `_`, `-`, `$`). */
  names: ReadonlySet<string>;
  /** Names of one word (`instructions`): evidence only in files that call an LLM API. */
  single: ReadonlySet<string>;
  /** Cheap text test: the file may contain one of the multi-word names or a system message. */
  pattern: RegExp;
  /**
   * A faster test that every match of `pattern` passes (each alternative contains one of these words, ignoring
   * case): asked first, since most files fail it.
   */
  prefilter: RegExp;
  /** Cheap text test: the file may contain one of the one-word names (ignoring case). Never matches when there are none. */
  singlePattern: RegExp;
  /**
   * An identifier that is one of the names, possibly after a builder verb, ignoring case, `_`, `-` and `$`: the
   * same test as comparing normalised names, without allocating (it runs on every property of the file).
   */
  identifier: RegExp;
}

/** LangChain's `['system', text]` message tuple. */
const SYSTEM_TUPLE = /\[\s*['"\x60]system['"\x60]\s*,/;

export function compilePromptNames(names: readonly string[]): PromptNames {
  const normalised = new Set(names.map(normalise).filter(Boolean));
  const single = new Set(names.filter((name) => splitWords(name).length === 1).map(normalise));
  const multi = names.filter((name) => splitWords(name).length > 1).map(splitWords);
  const words = multi.map((parts) => parts.map(escape).join('[_$-]*'));
  const pattern = new RegExp([...words, String.raw`role\s*:\s*['"\x60](?:system|developer)['"\x60]`, 'SystemMessage', SYSTEM_TUPLE.source].join('|'), 'i');
  // Every alternative of `pattern` contains `system` or `developer`, or the first word of a multi-word name.
  const prefilter = new RegExp([...new Set(['system', 'developer', ...multi.map((parts) => parts[0].toLowerCase())])].map(escape).join('|'), 'i');
  const singlePattern = single.size === 0 ? /(?!)/ : new RegExp([...single].map(escape).join('|'), 'i');
  const loose = (word: string) => [...word].map(escape).join('[_$-]*');
  const alternatives = (list: Iterable<string>) => [...list].map(loose).join('|');
  const identifier = normalised.size === 0 ? /(?!)/ : new RegExp(`^[_$-]*(?:(?:${alternatives(BUILDER_VERBS)})[_$-]*)?(?:${alternatives(normalised)})[_$-]*$`, 'i');
  return { names: normalised, single, pattern, prefilter, singlePattern, identifier };
}

/** An import of an LLM SDK or agent framework (`openai`, `@openai/agents`, `@anthropic-ai/…`, `ai`, `@mastra/core`…). */
const LLM_MODULE = /['"](?:openai|@openai\/[\w.-]+|@anthropic-ai\/[\w.-]+|ai|@ai-sdk\/[\w.-]+|@langchain\/[\w.-]+|langchain(?:\/[\w./-]+)?|@mastra\/[\w.-]+|@google\/genai|@google\/generative-ai|@aws-sdk\/client-bedrock-runtime|ollama|llamaindex|genkit|@genkit-ai\/[\w.-]+)['"]/;

/** The last text {@link isLlmFile} answered about, and its answer. */
let llmText: string | null = null;
let llmAnswer = false;

/** Whether the file talks to an LLM: it makes a request we know, or imports an LLM SDK or agent framework. */
export function isLlmFile(text: string): boolean {
  if (text !== llmText) {
    llmAnswer = mayContainAnyRequest(text) || LLM_MODULE.test(text);
    llmText = text;
  }
  return llmAnswer;
}

/** The last text {@link mayContainSystemPrompt} answered about (it is asked twice per file), and the answer. */
let lastText: string | null = null;
let lastNames: PromptNames | null = null;
let lastAnswer = false;

/** Whether a file may hold an implicit system prompt (a cheap text test used to skip all other files). */
export function mayContainSystemPrompt(text: string, names: PromptNames): boolean {
  if (text !== lastText || names !== lastNames) {
    lastAnswer = names.names.size > 0 && ((names.prefilter.test(text) && names.pattern.test(text)) || (names.singlePattern.test(text) && isLlmFile(text)));
    lastText = text;
    lastNames = names;
  }
  return lastAnswer;
}

/** Node types that can hold an implicit system prompt by name or `role` (the rule listens to them during ESLint's traversal). */
export const PROMPT_CANDIDATE_TYPES = [
  AST_NODE_TYPES.VariableDeclarator,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.MethodDefinition,
  AST_NODE_TYPES.Property,
  AST_NODE_TYPES.PropertyDefinition,
] as const;

/**
 * The node types to listen to in a file: {@link PROMPT_CANDIDATE_TYPES}, and `new` expressions and arrays only
 * when the text has a `SystemMessage` or a `['system', …]` tuple (there are many of both in most files).
 */
export function promptCandidateTypes(text: string): AST_NODE_TYPES[] {
  const types: AST_NODE_TYPES[] = [...PROMPT_CANDIDATE_TYPES];
  if (text.includes('SystemMessage')) types.push(AST_NODE_TYPES.NewExpression);
  if (SYSTEM_TUPLE.test(text)) types.push(AST_NODE_TYPES.ArrayExpression);
  return types;
}

/**
 * Collects the nodes that may hold an implicit system prompt while ESLint traverses the file (no second walk),
 * and turns them into prompts at the end. One per file and rule run.
 */
export class ImplicitPromptCollector {
  private readonly candidates: Node[] = [];

  constructor(private readonly names: PromptNames) {}

  /** Listener for {@link promptCandidateTypes}: a cheap name test, the evaluation comes later. */
  readonly visit = (node: Node): void => {
    if (isCandidate(node, this.names)) this.candidates.push(node);
  };

  /** The file's implicit system prompts, from the collected nodes. */
  prompts(sourceCode: SourceCode, analysis: FileAnalysis): ImplicitPrompt[] {
    if (this.candidates.length === 0) return [];
    const finder = new PromptFinder(analysis, this.names, isLlmFile(sourceCode.text));
    for (const node of this.candidates) finder.visit(node);
    return finder.prompts;
  }
}

/** Whether a node may hold a system prompt (by name or shape), before any evaluation. */
function isCandidate(node: Node, names: PromptNames): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.VariableDeclarator:
      return node.id.type === AST_NODE_TYPES.Identifier && nameMatches(node.id.name, names, true);
    case AST_NODE_TYPES.FunctionDeclaration:
      return !!node.id && nameMatches(node.id.name, names, true);
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition: {
      const key = node.computed ? null : getStaticKey(node as TSESTree.Property);
      return key !== null && (key === 'role' || nameMatches(key, names, true));
    }
    case AST_NODE_TYPES.NewExpression: {
      const callee = node.callee;
      return (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'SystemMessage') || (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'SystemMessage');
    }
    case AST_NODE_TYPES.ArrayExpression: {
      const role = node.elements[0];
      return node.elements.length === 2 && role?.type === AST_NODE_TYPES.Literal && role.value === 'system';
    }
    default:
      return false;
  }
}

/** `name` (or, for builders, `name` without a leading verb) is one of the names; one-word names not yet filtered. */
function nameMatches(name: string, names: PromptNames, builder: boolean): boolean {
  if (!names.identifier.test(name)) return false;
  const normalised = normalise(name);
  if (names.names.has(normalised)) return true;
  if (!builder) return false;
  return BUILDER_VERBS.some((verb) => normalised.length > verb.length && normalised.startsWith(verb) && names.names.has(normalised.slice(verb.length)));
}

/**
 * Changing values in the file's implicit system prompts, skipping: values a request analysed in this file
 * already sees (it knows where the markers are), values computed once (module level, a session captured by a
 * factory), and per-user or per-session values (a session's cache is its own: stable for that session).
 */
export function* iterateVolatileInImplicitPrompts(
  prompts: readonly ImplicitPrompt[],
  analysis: FileAnalysis,
  volatility: VolatilityOptions,
): Generator<ImplicitFinding> {
  if (prompts.length === 0) return;
  const seen = requestPartNodes(analysis);
  const reported = new Set<Node>();
  for (const prompt of prompts) {
    for (const { part, label, frequency } of iterateChangingParts(prompt.parts, volatility)) {
      if (frequency === 'user' || seen.has(part.node) || !isComputedPerCall(part, prompt.fn, prompt.node)) continue;
      // One report per place the value enters (a variable and the builder returning it are one prompt).
      const reportNode = getReportNodeIn(part, prompt.fn, prompt.node);
      if (reported.has(reportNode)) continue;
      reported.add(reportNode);
      yield { prompt, part, label, frequency, reportNode, tokens: estimateParts(prompt.parts) };
    }
  }
}

/** Nodes of every volatile and unknown value in the file's analysed requests. */
function requestPartNodes(analysis: FileAnalysis): Set<Node> {
  const nodes = new Set<Node>();
  for (const request of analysis.requests) {
    for (const segment of request.segments) {
      for (const part of iterateVolatileParts(segment.parts)) nodes.add(part.node);
      for (const part of iterateUnknownParts(segment.parts)) nodes.add(part.node);
    }
  }
  return nodes;
}

class PromptFinder {
  readonly prompts: ImplicitPrompt[] = [];
  private readonly evaluator: Evaluator;

  constructor(
    private readonly analysis: FileAnalysis,
    private readonly names: PromptNames,
    private readonly llmFile: boolean,
  ) {
    this.evaluator = analysis.evaluator;
  }

  visit(node: Node): void {
    switch (node.type) {
      case AST_NODE_TYPES.VariableDeclarator:
        if (node.id.type !== AST_NODE_TYPES.Identifier || !node.init) return;
        if (isFunctionNode(unwrapExpression(node.init))) this.builder(node.id.name, unwrapExpression(node.init) as FunctionNode);
        else if (this.matches(node.id.name, false)) this.text('variable', node.id.name, node.init);
        return;
      case AST_NODE_TYPES.FunctionDeclaration:
        if (node.id) this.builder(node.id.name, node);
        return;
      case AST_NODE_TYPES.MethodDefinition:
      case AST_NODE_TYPES.Property:
      case AST_NODE_TYPES.PropertyDefinition: {
        if (node.type === AST_NODE_TYPES.Property && node.parent?.type !== AST_NODE_TYPES.ObjectExpression) return;
        const key = node.computed ? null : getStaticKey(node as TSESTree.Property);
        if (key === null || !node.value) return;
        const value = unwrapExpression(node.value);
        if (isFunctionNode(value)) this.builder(key, value);
        else if (node.type === AST_NODE_TYPES.Property && this.matches(key, false)) this.text('property', key, value);
        if (node.type === AST_NODE_TYPES.Property && key === 'role') this.systemMessage(node);
        return;
      }
      case AST_NODE_TYPES.NewExpression: {
        const callee = unwrapExpression(node.callee);
        const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
        const arg = node.arguments[0];
        if (name === 'SystemMessage' && arg && arg.type !== AST_NODE_TYPES.SpreadElement) this.text('message', 'system message', arg);
        return;
      }
      case AST_NODE_TYPES.ArrayExpression: {
        // LangChain's `['system', text]` message tuples, in a list of messages
        const [role, content] = node.elements;
        if (node.elements.length !== 2 || node.parent?.type !== AST_NODE_TYPES.ArrayExpression) return;
        if (role?.type !== AST_NODE_TYPES.Literal || role.value !== 'system' || !content || content.type === AST_NODE_TYPES.SpreadElement) return;
        this.text('message', 'system message', content);
        return;
      }
      default:
        return;
    }
  }

  /** Whether `name` names a system prompt (`builder`: also with a verb prefix, `buildSystemPrompt`). */
  private matches(name: string, builder: boolean): boolean {
    const normalised = normalise(name);
    const candidates = [normalised];
    if (builder) {
      for (const verb of BUILDER_VERBS) if (normalised.startsWith(verb) && normalised.length > verb.length) candidates.push(normalised.slice(verb.length));
    }
    return candidates.some((candidate) => this.names.names.has(candidate) && (this.llmFile || !this.names.single.has(candidate)));
  }

  /** `{ role: 'system', content }`: the content. */
  private systemMessage(roleProperty: TSESTree.Property): void {
    const role = unwrapExpression(roleProperty.value);
    if (role.type !== AST_NODE_TYPES.Literal || typeof role.value !== 'string' || !SYSTEM_ROLES.has(role.value)) return;
    const object = roleProperty.parent as TSESTree.ObjectExpression;
    const content = object.properties.find((p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && getStaticKey(p) === 'content');
    if (content) this.text('message', `${role.value} message`, unwrapExpression(content.value));
  }

  /** A variable, option or message holding prompt text, built in a function (module-level text is built once). */
  private text(kind: ImplicitPromptKind, name: string, node: Node): void {
    const fn = getEnclosingFunction(node);
    if (!fn || this.inRequest(node)) return;
    const value = this.evaluator.evaluate(node);
    const parts = value.kind === 'object' ? this.evaluator.serialize(value, node) : this.evaluator.toParts(value, node);
    this.prompts.push({ kind, name, node, fn, parts });
  }

  /** A function whose return value is a system prompt: each `return` with its own text. */
  private builder(name: string, fn: FunctionNode): void {
    if (!this.matches(name, true) || fn.generator || !fn.body) return;
    const returned = fn.body.type === AST_NODE_TYPES.BlockStatement ? getReturnStatements(fn).flatMap((ret) => (ret.argument ? [ret.argument] : [])) : [fn.body];
    for (const node of returned) {
      if (this.inRequest(node)) continue;
      const value = this.evaluator.evaluate(node);
      // A returned message object (`{ role: 'system', content }`) is read as a system message instead.
      if (value.kind === 'object' || value.kind === 'array' || value.kind === 'function') continue;
      this.prompts.push({ kind: 'function', name: `${name}()`, node, fn, parts: this.evaluator.toParts(value, node) });
    }
  }

  /**
   * Inside the arguments of an analysed request, or of a call named like one (`generateText`, `invoke`,
   * `create`) that the request analysis did not take (another provider's model, a local function): the
   * request is then right here, and it decides what is cached.
   */
  private inRequest(node: Node): boolean {
    if (this.analysis.requests.some((request) => isWithin(node, request.site.call))) return true;
    let child: Node = node;
    for (let current = node.parent; current && !isFunctionNode(current); child = current, current = current.parent) {
      if ((current.type !== AST_NODE_TYPES.CallExpression && current.type !== AST_NODE_TYPES.NewExpression) || current.callee === child) continue;
      const callee = unwrapExpression(current.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
      if (name && REQUEST_METHODS.has(name)) return true;
    }
    return false;
  }
}

function normalise(name: string): string {
  return name.replace(/[_$-]/g, '').toLowerCase();
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

