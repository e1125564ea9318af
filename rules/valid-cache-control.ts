import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { isWithin } from '../src/analysis/ast.js';
import {
  MARKER_TTLS,
  MARKER_TYPE,
  getAutomaticTarget,
  getEffectiveTtl,
  getIntendedTtl,
  getMarkerField,
  isEphemeralTypo,
  iterateMarkerObjects,
  getMissedMarkerTokens,
  isCachePoint,
  iterateTtlOrderViolations,
} from '../src/analysis/cache-control.js';
import { describeTokens, describeUncachedCost } from '../src/analysis/messages.js';
import { getMinCacheableTokens } from '../src/analysis/models.js';
import { type Breakpoint, type PromptRequest, type Segment, estimateSegments, getFileAnalysis } from '../src/analysis/request.js';
import { type ObjectValue, getKnownString, getKnownText } from '../src/analysis/values.js';
import { createRule } from '../src/create-rule.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

type Options = [
  {
    checkKeySpelling?: boolean;
    whitespaceTextIsEmpty?: boolean;
  },
];
type MessageIds =
  | 'notAnObject'
  | 'missingType'
  | 'invalidType'
  | 'invalidTtl'
  | 'ttlOrder'
  | 'automaticTtlConflict'
  | 'emptyTextMarker'
  | 'thinkingMarker'
  | 'wrongKeySpelling'
  | 'useValue'
  | 'addType'
  | 'removeMarker'
  | 'renameKey';

export default createRule<Options, MessageIds>({
  name: 'valid-cache-control',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow cache_control markers that the Anthropic API rejects or never reads',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      notAnObject:
        'cache_control is {{value}}, but it must be an object such as { type: \'ephemeral\' }: the API rejects the request (400) and nothing is cached. Use a marker object, or null for no marker.',
      missingType:
        "This cache_control marker has no type: the API requires type: 'ephemeral' and rejects the request (400). Add type: 'ephemeral'.",
      invalidType:
        "cache_control type {{value}} does not exist: the only type is 'ephemeral' (there is no persistent cache), so the API rejects the request (400). Use type: 'ephemeral'.",
      invalidTtl:
        "cache_control ttl {{value}} is not accepted: the API takes only '5m' (the default) or '1h' and rejects the request (400). Use one of them.",
      ttlOrder:
        "This {{marker}} comes after {{earlier}}: every 1h marker must come before every 5m marker in tools → system → messages order, so the API rejects the request (400: \"a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block\"). Give the earlier marker ttl: '1h' as well, or make this one 5m.",
      automaticTtlConflict:
        "The automatic (top-level) cache_control marker ({{automaticTtl}}) lands on the last block, which already has an explicit {{explicitTtl}} marker on line {{line}}: the API rejects different TTLs on the same block (400). Use the same ttl for both, or drop one.",
      emptyTextMarker:
        'cache_control on an empty text block: empty text blocks cannot be marked, so the API rejects the request (400). Put the marker on the last non-empty block before it.',
      thinkingMarker:
        '{{kind}} blocks cannot carry cache_control (the API types have no such field) and the API rejects the marker. They are still cached as part of a later prefix: put the marker on the next block instead.',
      wrongKeySpelling:
        '`cacheControl` is the Vercel AI SDK spelling; the Anthropic Messages API reads only `cache_control`, so this {{where}} gets no {{effect}}{{cost}}. Rename the key to cache_control.',
      useValue: 'Replace with {{replacement}}.',
      addType: "Add type: 'ephemeral'.",
      removeMarker: 'Remove this cache_control property.',
      renameKey: 'Rename cacheControl to cache_control (this turns on caching here: a cache write at 1.25x or 2x the input price, then reads at about 0.1x).',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkKeySpelling: {
            type: 'boolean',
            description: 'Report `cacheControl` keys (the Vercel AI SDK spelling) in Anthropic Messages API requests, where the API reads only `cache_control`.',
          },
          whitespaceTextIsEmpty: {
            type: 'boolean',
            description: 'Also report markers on text blocks whose text is whitespace only (by default only the empty string is reported).',
          },
        },
      },
    ],
    defaultOptions: [{ checkKeySpelling: true, whitespaceTextIsEmpty: false }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    return {
      'Program:exit'() {
        const { requests } = getFileAnalysis(sourceCode);
        if (requests.length === 0) return;
        const reported = new Set<string>();
        /** Reports once per node and message: shared markers (a `const`) are seen by several requests. */
        const report = (descriptor: TSESLint.ReportDescriptor<MessageIds> & { node: Node }): boolean => {
          const key = `${descriptor.messageId}:${descriptor.node.range[0]}:${descriptor.node.range[1]}`;
          if (reported.has(key)) return false;
          reported.add(key);
          context.report(descriptor);
          return true;
        };
        for (const request of requests) {
          // Bedrock cache points (`type: 'default'`) have their own shape: not checked here yet.
          if (request.breakpoints.some(isCachePoint)) continue;
          for (const breakpoint of request.breakpoints) checkMarkerValue(breakpoint, report);
          checkTtlOrder(request, report);
          checkBlocks(request, options.whitespaceTextIsEmpty === true, sourceCode, report);
          // `cacheControl` is the right spelling in the AI SDK; raw Messages API bodies and LangChain's ChatAnthropic
          // blocks read only `cache_control`.
          if (options.checkKeySpelling !== false && usesCacheControlBlocks(request)) checkKeySpelling(request, sourceCode, report);
        }
      },
    };
  },
});

/** Requests whose blocks carry Anthropic's `cache_control` (the Messages API body, LangChain's ChatAnthropic). */
function usesCacheControlBlocks(request: PromptRequest): boolean {
  return request.site.format === 'anthropic' || (request.site.format === 'langchain' && request.site.platform !== 'bedrock');
}

type Report = (descriptor: TSESLint.ReportDescriptor<MessageIds> & { node: Node }) => boolean;

/** `'10m'`, `3600`, `null`: a known value as it reads in code. */
function show(value: string | number | boolean | null): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Quote character of a string literal node (`'` when it is not one). */
function quoteOf(node: Node): string {
  return node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' && node.raw[0] === '"' ? '"' : "'";
}

/** The value is written right there as a literal (so replacing its text is a local, safe edit). */
function isLiteralValue(node: Node): boolean {
  return node.type === AST_NODE_TYPES.Literal || (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0);
}

/** `type` / `ttl` of every object the marker may be; a known non-object marker. */
function checkMarkerValue(breakpoint: Breakpoint, report: Report): void {
  const value = breakpoint.value;
  const scalar = value.kind === 'primitive' ? value.value : value.kind === 'string' ? getKnownString(value) : undefined;
  if (scalar !== undefined && scalar !== null && typeof scalar !== 'bigint') {
    const node = breakpoint.valueNode;
    const replaceable = isLiteralValue(node) && (scalar === true || (typeof scalar === 'string' && isEphemeralTypo(scalar)));
    report({
      node,
      messageId: 'notAnObject',
      data: { value: show(scalar) },
      suggest: replaceable
        ? [{ messageId: 'useValue', data: { replacement: `{ type: '${MARKER_TYPE}' }` }, fix: (fixer) => fixer.replaceText(node, `{ type: ${quoteOf(node)}${MARKER_TYPE}${quoteOf(node)} }`) }]
        : [],
    });
    return;
  }
  for (const marker of iterateMarkerObjects(value)) {
    checkType(marker, report);
    checkTtl(marker, report);
  }
}

function checkType(marker: ObjectValue, report: Report): void {
  const type = getMarkerField(marker, 'type');
  if (type.state === 'absent') {
    const node = marker.node;
    let fix: TSESLint.ReportFixFunction | null = null;
    if (node.type === AST_NODE_TYPES.ObjectExpression) {
      const first = node.properties[0];
      fix = first
        ? (fixer) => fixer.insertTextBefore(first, `type: '${MARKER_TYPE}', `)
        : (fixer) => fixer.replaceText(node, `{ type: '${MARKER_TYPE}' }`);
    }
    report({ node, messageId: 'missingType', suggest: fix ? [{ messageId: 'addType', fix }] : [] });
    return;
  }
  if (type.state !== 'known' || type.value === MARKER_TYPE) return;
  const node = type.valueNode;
  const fixable = typeof type.value === 'string' && isEphemeralTypo(type.value) && isLiteralValue(node);
  report({
    node,
    messageId: 'invalidType',
    data: { value: show(type.value) },
    suggest: fixable ? [{ messageId: 'useValue', data: { replacement: `'${MARKER_TYPE}'` }, fix: (fixer) => fixer.replaceText(node, `${quoteOf(node)}${MARKER_TYPE}${quoteOf(node)}`) }] : [],
  });
}

function checkTtl(marker: ObjectValue, report: Report): void {
  const ttl = getMarkerField(marker, 'ttl');
  // `ttl: null` is not in the SDK types, but whether the API treats it as absent is not documented: stay silent.
  if (ttl.state !== 'known' || ttl.value === null || (MARKER_TTLS as readonly unknown[]).includes(ttl.value)) return;
  const node = ttl.valueNode;
  const intended = getIntendedTtl(ttl.value);
  report({
    node,
    messageId: 'invalidTtl',
    data: { value: show(ttl.value) },
    suggest:
      intended && isLiteralValue(node)
        ? [{ messageId: 'useValue', data: { replacement: `'${intended}'` }, fix: (fixer) => fixer.replaceText(node, `${quoteOf(node)}${intended}${quoteOf(node)}`) }]
        : [],
  });
}

/** `the system block marker on line 4 (no ttl, so 5m)` */
function describeMarker(breakpoint: Breakpoint, request: PromptRequest): string {
  const segment = request.segments[breakpoint.segmentIndex];
  const where = breakpoint.automatic ? 'automatic (top-level)' : segment ? describeBlock(segment) : 'earlier';
  const ttl = breakpoint.ttl === undefined ? 'no ttl, so 5m' : "ttl: '5m'";
  return `the ${where} marker on line ${breakpoint.node.loc.start.line} (${ttl})`;
}

/** `tool definition`, `system block`, `block in message 2` */
function describeBlock(segment: Segment): string {
  if (segment.section === 'tools') return 'tool definition';
  if (segment.section === 'system') return 'system block';
  return segment.messageIndex === null ? 'message block' : `block in message ${segment.messageIndex + 1}`;
}

/** Where a TTL problem of `breakpoint` is shown: its `ttl` value when written inline, else the marker property. */
function ttlReportNode(breakpoint: Breakpoint): Node {
  if (breakpoint.value.kind === 'object' && isWithin(breakpoint.valueNode, breakpoint.node)) {
    const ttl = getMarkerField(breakpoint.value, 'ttl');
    if (ttl.state === 'known' && isWithin(ttl.valueNode, breakpoint.node)) return ttl.valueNode;
    return breakpoint.valueNode;
  }
  return breakpoint.node;
}

function checkTtlOrder(request: PromptRequest, report: Report): void {
  // Token counting accepts markers but never caches; whether it enforces the TTL order is not documented.
  if (request.site.method === 'countTokens') return;
  let automaticReported = false;
  for (const { marker, earlier } of iterateTtlOrderViolations(request)) {
    report({
      node: ttlReportNode(marker),
      messageId: 'ttlOrder',
      data: { marker: marker.automatic ? "automatic (top-level) ttl: '1h' marker" : "ttl: '1h' marker", earlier: describeMarker(earlier, request) },
    });
    if (marker.automatic) automaticReported = true;
  }
  const automatic = request.automatic;
  if (!automatic || automaticReported) return;
  const target = getAutomaticTarget(request);
  const explicit = target?.breakpoint;
  if (!explicit || explicit.automatic) return;
  const automaticTtl = getEffectiveTtl(automatic);
  const explicitTtl = getEffectiveTtl(explicit);
  if (!automaticTtl || !explicitTtl || automaticTtl === explicitTtl) return;
  report({
    node: ttlReportNode(automatic),
    messageId: 'automaticTtlConflict',
    data: { automaticTtl, explicitTtl, line: explicit.node.loc.start.line },
  });
}

/** Markers on blocks that cannot carry one: thinking / redacted thinking, empty text. */
function checkBlocks(request: PromptRequest, whitespaceIsEmpty: boolean, sourceCode: SourceCode, report: Report): void {
  for (const segment of request.segments) {
    const breakpoint = segment.breakpoint;
    if (!breakpoint || segment.opaque) continue;
    const fix = removePropertyFix(breakpoint.node, sourceCode);
    const suggest = fix ? [{ messageId: 'removeMarker' as const, fix }] : [];
    if (segment.kind === 'thinking' || segment.kind === 'redacted_thinking') {
      report({ node: breakpoint.node, messageId: 'thinkingMarker', data: { kind: segment.kind === 'thinking' ? 'Thinking' : 'Redacted thinking' }, suggest });
      continue;
    }
    if (segment.kind !== 'text' || segment.value?.kind !== 'object') continue;
    const text = getKnownText(segment.parts);
    if (text === null || (text !== '' && !(whitespaceIsEmpty && text.trim() === ''))) continue;
    report({ node: breakpoint.node, messageId: 'emptyTextMarker', suggest });
  }
}

/** Removes a property from its object literal, with the comma that separates it. */
function removePropertyFix(node: Node, sourceCode: SourceCode): TSESLint.ReportFixFunction | null {
  if (node.type !== AST_NODE_TYPES.Property || node.parent?.type !== AST_NODE_TYPES.ObjectExpression) return null;
  const after = sourceCode.getTokenAfter(node);
  if (after && after.value === ',') {
    const next = sourceCode.getTokenAfter(after, { includeComments: true });
    const end = next ? next.range[0] : after.range[1];
    return (fixer) => fixer.removeRange([node.range[0], end]);
  }
  const before = sourceCode.getTokenBefore(node);
  if (before && before.value === ',') return (fixer) => fixer.removeRange([before.range[0], node.range[1]]);
  return (fixer) => fixer.remove(node);
}

/** `cacheControl` keys in the request params, tool definitions, system blocks and message content blocks. */
function checkKeySpelling(request: PromptRequest, sourceCode: SourceCode, report: Report): void {
  const params = request.site.params;
  if (params.kind === 'object') checkObjectSpelling(params, request, null, sourceCode, report);
  for (const segment of request.segments) {
    if (segment.opaque || segment.value?.kind !== 'object') continue;
    checkObjectSpelling(segment.value, request, segment, sourceCode, report);
  }
}

function checkObjectSpelling(object: ObjectValue, request: PromptRequest, segment: Segment | null, sourceCode: SourceCode, report: Report): void {
  // Both spellings, or a spread that may bring `cache_control`: the marker may well be there.
  if (object.partial || object.props.some((prop) => prop.key === 'cache_control')) return;
  const prop = object.props.find((p) => p.key === 'cacheControl');
  if (!prop || !prop.keyNode) return;
  if (prop.value.kind === 'primitive' && (prop.value.value === null || prop.value.value === undefined || prop.value.value === false)) return;
  const property = prop.node;
  if (property.type !== AST_NODE_TYPES.Property || property.key !== prop.keyNode || property.kind !== 'init' || property.method) return;
  const key = property.key;
  let fix: TSESLint.ReportFixFunction | null = null;
  if (property.shorthand) {
    fix = (fixer) => fixer.replaceText(property, `cache_control: ${sourceCode.getText(property.value)}`);
  } else if (key.type === AST_NODE_TYPES.Identifier && !property.computed) {
    fix = (fixer) => fixer.replaceText(key, 'cache_control');
  } else if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') {
    fix = (fixer) => fixer.replaceText(key, `${quoteOf(key)}cache_control${quoteOf(key)}`);
  }
  if (!fix) return;
  report({
    node: key,
    messageId: 'wrongKeySpelling',
    data: {
      where: segment ? describeBlock(segment) : 'request',
      effect: segment ? 'cache breakpoint' : 'automatic caching',
      cost: describeMissedCaching(request, segment),
    },
    suggest: [{ messageId: 'renameKey', fix }],
  });
}

/**
 * ` (~5,000 tokens up to here are sent uncached on every request; about $0.014 extra …)`, when the misspelt
 * marker would have been the last one and the prefix clears the model's minimum; else empty.
 */
function describeMissedCaching(request: PromptRequest, segment: Segment | null): string {
  if (request.site.method === 'countTokens' || request.segments.length === 0) return '';
  const index = segment ? segment.index : request.segments.length - 1;
  const estimate = getMissedMarkerTokens(request, index);
  if (!estimate || estimate.tokens === 0) return '';
  // Without a known minimum, whether the prompt would be cached at all cannot be told: no number.
  const min = request.model ? getMinCacheableTokens(request.model.id) : null;
  if (min === null || estimateSegments(request, 0, index).tokens < min) return '';
  const cost = estimate.complete ? describeUncachedCost(request, estimate) : '';
  return ` (~${describeTokens(estimate)} tokens up to here are sent uncached on every request${cost})`;
}
