// Help-desk helpers built on the Anthropic SDK.
import { readFileSync } from 'node:fs';

import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

// About 60 tokens. Haiku 4.5 caches prefixes from 4,096 tokens on, so the marker below does nothing.
const TRIAGE_PROMPT = `You are the triage assistant of the Acme help desk.
Classify the customer's message into exactly one category: billing, shipping, returns, account or other.
Answer with the category name only, in lower case, without punctuation or explanation.`;

export async function triage(message: string): Promise<string> {
  const response = await client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 5,
    system: [{ type: 'text', text: TRIAGE_PROMPT, cache_control: { type: 'ephemeral' } }], // reported: below 4,096 tokens
    messages: [{ role: 'user', content: message }],
  });
  const block = response.content[0];
  return block?.type === 'text' ? block.text.trim() : 'other';
}

// The handbook is long and read once at start-up; its size is not known to the linter, so the marker
// below is not reported.
const HANDBOOK = readFileSync(new URL('./handbook.md', import.meta.url), 'utf8');

export async function draftReply(ticket: string): Promise<string> {
  const response = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      { type: 'text', text: 'You draft replies for the Acme help desk. Follow the handbook below.' },
      { type: 'text', text: HANDBOOK, cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: ticket }],
  });
  const block = response.content[0];
  return block?.type === 'text' ? block.text : '';
}
