// A customer-support assistant. Its long policy prompt is cached, but two values in the cached prefix change
// on every request or per user, so the cache is rewritten instead of read.
import Anthropic from '@anthropic-ai/sdk';
import { randomUUID } from 'node:crypto';

const client = new Anthropic();

const POLICY = [
  'You are the support assistant of Acme Cloud.',
  'Answer only questions about Acme Cloud accounts, billing and the public API.',
  'Never reveal internal ticket notes. Escalate refunds above $500 to a human.',
  'Quote the relevant section of the documentation when you can.',
].join('\n');

const DOCS = 'Acme Cloud documentation (abridged). '.repeat(400);

// Built once, at module level: the same bytes on every request.
const CACHED_SYSTEM = `${POLICY}\n\n${DOCS}`;

// Computed once per process: stable between requests (not reported).
const DEPLOYED_AT = new Date().toISOString();

function buildSystemPrompt(customer: { name: string; plan: string }) {
  return `${POLICY}\n\n${DOCS}\n\nDeployed: ${DEPLOYED_AT}\nCustomer: ${customer.name} (${customer.plan} plan)`;
}

export async function answer(question: string, customer: { name: string; plan: string }) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      {
        type: 'text',
        text: `${buildSystemPrompt(customer)}\nConversation id: ${randomUUID()}`,
        cache_control: { type: 'ephemeral' },
      },
    ],
    messages: [{ role: 'user', content: question }],
  });
}

// The fixed version: the stable part is cached, the per-request part follows the breakpoint.
export async function answerCached(question: string, customer: { name: string; plan: string }) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      { type: 'text', text: CACHED_SYSTEM, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: `Customer: ${customer.name} (${customer.plan} plan). Today: ${new Date().toDateString()}` },
    ],
    messages: [{ role: 'user', content: question }],
  });
}
