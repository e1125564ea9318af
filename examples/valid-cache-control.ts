// A research assistant with a long, stable policy and handbook in its prompt. Three of its cache markers are
// malformed: two requests fail with a 400 on every call, and one marker is never read, so nothing is cached.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const POLICY = [
  'You are the research assistant of Acme Labs.',
  'Answer from the handbook below; say so when it does not cover the question.',
  'Cite the handbook section for every claim. Never speculate about unreleased products.',
].join('\n');

const HANDBOOK = 'Acme Labs handbook (abridged): lab safety, data retention, publication review. '.repeat(300);

const SYSTEM_PROMPT = `${POLICY}\n\n${HANDBOOK}`;

const searchTool: Anthropic.Tool = {
  name: 'search_handbook',
  description: 'Full-text search over the Acme Labs handbook. Returns the matching sections.',
  input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

// A 1h marker after the (default 5-minute) marker on the tools: the API rejects every call.
export async function research(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 2048,
    tools: [{ ...searchTool, cache_control: { type: 'ephemeral' } }],
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: question }],
  });
}

// The Vercel AI SDK spelling pasted into a raw request: the API never reads it, so nothing is cached.
export async function summarize(text: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYSTEM_PROMPT, cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: `Summarize this for the weekly digest:\n\n${text}` }],
  });
}

// A TTL written in minutes: the API only knows '5m' and '1h'.
export async function followUp(history: Anthropic.MessageParam[], question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 2048,
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral', ttl: '60m' } }],
    messages: [...history, { role: 'user', content: question }],
  });
}

// Fixed: 1h markers first (tools, system), the 5-minute marker on the conversation after them.
export async function researchCached(history: Anthropic.MessageParam[], question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 2048,
    tools: [{ ...searchTool, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [...history, { role: 'user', content: [{ type: 'text', text: question, cache_control: { type: 'ephemeral' } }] }],
  });
}

// Look-alike: `cacheControl` on an HTTP response helper is not an Anthropic request (not reported).
export function handbookResponseHeaders() {
  return { cacheControl: 'private, max-age=300', contentType: 'text/markdown' };
}
