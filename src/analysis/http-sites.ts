import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { CALL, ESM, type TraceMap } from '../eslint-utils.js';
import type { Evaluator } from './evaluate.js';
import { type Invocation, type RequestMethod, type RequestSite, type SiteBase, type SiteFamily, batchSites, getReferenceTracker, looksLikeRequest, mayContainRequests, registerSiteFamily, textIncludes } from './request-sites.js';
import { type ObjectValue, type Value, getKnownString, getKnownText } from './values.js';

type Node = TSESTree.Node;

/** How an HTTP client takes its request: where the URL and the body are. */
type ClientKind = 'fetch' | 'post' | 'config';

interface HttpClientInfo {
  kind: ClientKind;
  /** Body option names for `post(url, options)` clients (`json` for got / ky). */
  bodyOption?: string;
  label: string;
}

const post = (label: string, bodyOption?: string): { [CALL]: HttpClientInfo } => ({ [CALL]: { kind: 'post', bodyOption, label } });

/** HTTP clients, traced through imports and `require` (fetch is a global, or `node-fetch` / `undici`). */
const HTTP_GLOBALS: TraceMap<HttpClientInfo> = {
  fetch: { [CALL]: { kind: 'fetch', label: 'fetch' } },
};
const axiosMembers = { post: post('axios.post'), request: { [CALL]: { kind: 'config', label: 'axios.request' } as HttpClientInfo } };
const HTTP_MODULES: TraceMap<HttpClientInfo> = {
  'node-fetch': { [ESM]: true, default: { [CALL]: { kind: 'fetch', label: 'fetch' } } },
  undici: { [ESM]: true, fetch: { [CALL]: { kind: 'fetch', label: 'fetch' } }, request: { [CALL]: { kind: 'fetch', label: 'undici.request' } } },
  axios: { [ESM]: true, default: { ...axiosMembers, [CALL]: { kind: 'config', label: 'axios' } as HttpClientInfo } as TraceMap<HttpClientInfo>, ...axiosMembers },
  got: { [ESM]: true, default: { post: post('got.post', 'json') } },
  ky: { [ESM]: true, default: { post: post('ky.post', 'json') } },
};
const HTTP_CJS: TraceMap<HttpClientInfo> = {
  'node-fetch': { [CALL]: { kind: 'fetch', label: 'fetch' } },
  axios: { ...axiosMembers, [CALL]: { kind: 'config', label: 'axios' } as HttpClientInfo } as TraceMap<HttpClientInfo>,
  got: { post: post('got.post', 'json') },
};

/** `'got'`, `"ky"`, `` `got` ``: the module names as written in an import or `require`. */
const QUOTED_GOT_KY = /['"`](?:got|ky)['"`]/;

/** `…/v1/messages`, `…/v1/messages/batches`, `…/v1/messages/count_tokens` (query strings allowed). */
const MESSAGES_URL = /\/v1\/messages(\/batches|\/count_tokens)?\/?(?:[?#].*)?$/;

/**
 * Raw HTTP requests to the Anthropic Messages API: `fetch` / `axios.post` / `axios(config)` / `got.post` /
 * `ky.post` whose URL is known to end in `/v1/messages` (or its `batches` / `count_tokens` endpoints), with a
 * `JSON.stringify({...})` body or an object body (axios `data`, got/ky `json`). The body is laid out like an
 * SDK request, so every rule applies. An unknown URL is not a request (precision first), unless the request
 * sends an `anthropic-version` header and its body looks like a Messages request.
 */
export const httpFamily: SiteFamily = {
  name: 'http',
  // got and ky are only traced from their module names, which are written as strings.
  mayMatch: (text) =>
    mayContainRequests(text) && (textIncludes(text, 'fetch') || textIncludes(text, 'axios', 'xios') || textIncludes(text, 'undici', 'ndici') || QUOTED_GOT_KY.test(text)),
  prepare(_sourceCode, evaluator, globalScope) {
    const tracker = getReferenceTracker(globalScope, ['require', 'fetch', 'globalThis', 'window', 'self']);
    const clients = new Map<Node, HttpClientInfo>();
    for (const ref of tracker.iterateGlobalReferences(HTTP_GLOBALS)) clients.set(ref.node, ref.info);
    for (const ref of tracker.iterateEsmReferences(HTTP_MODULES)) clients.set(ref.node, ref.info);
    for (const ref of tracker.iterateCjsReferences(HTTP_CJS)) clients.set(ref.node, ref.info);
    const match = (call: Invocation): RequestSite[] | null => {
      const client = call.type === AST_NODE_TYPES.CallExpression ? clients.get(call) : undefined;
      if (!client || call.type !== AST_NODE_TYPES.CallExpression) return null;
      const parts = getUrlAndBody(call, client, evaluator);
      if (!parts) return null;
      const url = parts.url ? getKnownText(parts.url.kind === 'string' ? parts.url.parts : []) : null;
      const match = url === null ? null : MESSAGES_URL.exec(url);
      const headers = parts.options ? evaluator.getProperty(parts.options, 'headers') : null;
      const hasVersionHeader = headers?.kind === 'object' && headers.props.some((prop) => prop.key.toLowerCase() === 'anthropic-version');
      if (!match && !(url === null && hasVersionHeader && looksLikeRequest(parts.body))) return null;
      const method: RequestMethod = match?.[1] === '/batches' ? 'batches.create' : match?.[1] === '/count_tokens' ? 'countTokens' : 'create';
      const base: SiteBase = {
        call,
        format: 'anthropic',
        provider: 'http',
        method,
        beta: false,
        traced: true,
        client: client.label,
        platform: 'anthropic',
      };
      if (method === 'batches.create') return batchSites(base, parts.body, evaluator, true);
      if (parts.body.kind !== 'object') return null;
      return [{ ...base, params: parts.body, paramsNode: parts.bodyNode, batchItem: null } satisfies RequestSite];
    };
    return { traced: clients.keys(), match };
  },
};
registerSiteFamily(httpFamily);

/** The URL value, the options object and the request body (the object inside `JSON.stringify(...)`). */
function getUrlAndBody(
  call: TSESTree.CallExpression,
  client: HttpClientInfo,
  evaluator: Evaluator,
): { url: Value | null; options: ObjectValue | null; body: Value; bodyNode: Node } | null {
  const arg = (index: number): Node | null => {
    const node = call.arguments[index];
    return node && node.type !== AST_NODE_TYPES.SpreadElement ? node : null;
  };
  const url = arg(0) ? evaluator.evaluate(arg(0)!) : null;
  if (client.kind === 'config') {
    // axios({ url, method: 'post', data })
    const config = url;
    if (!config || config.kind !== 'object') return null;
    const bodyValue = evaluator.getProperty(config, 'data');
    if (!bodyValue) return null;
    return { url: evaluator.getProperty(config, 'url'), options: config, ...unwrapBody(bodyValue, config.node) };
  }
  if (client.kind === 'post' && !client.bodyOption) {
    // axios.post(url, data, config)
    const dataNode = arg(1);
    if (!dataNode) return null;
    const config = arg(2) ? evaluator.evaluate(arg(2)!) : null;
    return { url, options: config?.kind === 'object' ? config : null, ...unwrapBody(evaluator.evaluate(dataNode), dataNode) };
  }
  // fetch(url, { method: 'POST', body }) / got.post(url, { json }) / ky.post(url, { json })
  const optionsNode = arg(1);
  if (!optionsNode) return null;
  const options = evaluator.evaluate(optionsNode);
  if (options.kind !== 'object') return null;
  if (client.kind === 'fetch') {
    const verb = getKnownString(evaluator.getProperty(options, 'method'));
    if (verb !== null && verb.toUpperCase() !== 'POST') return null;
  }
  const bodyValue = evaluator.getProperty(options, client.bodyOption ?? 'body');
  if (!bodyValue) return null;
  return { url, options, ...unwrapBody(bodyValue, options.node) };
}

/** `JSON.stringify(obj)` → the object (its evaluated value, not its JSON text); anything else as it is. */
function unwrapBody(value: Value, fallback: Node): { body: Value; bodyNode: Node } {
  const body = value.kind === 'string' && value.json ? value.json : value;
  return { body, bodyNode: body.kind === 'object' || body.kind === 'array' ? body.node : fallback };
}
