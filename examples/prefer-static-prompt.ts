// A support-ticket assistant. Its system prompt is meant to be static, but the handler rebuilds it from
// module-level constants and reads a policy file from disk on every request: bytes that should be computed
// once per process are recomputed per call, one edit away from drifting and missing the cache.
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const client = new Anthropic();

const PERSONA = 'You are Aria, the support assistant of Acme Cloud.';
const STYLE_RULES = [
  'Answer in the language of the ticket.',
  'Quote the handbook section you relied on.',
  'Never promise refunds; escalate them to a human.',
];

// Read once at module level: stable for the life of the process (not reported).
const HANDBOOK = readFileSync(new URL('./prompts/handbook.md', import.meta.url), 'utf8');

// The stable look-alike: built once, at module level, and sent as is (not reported).
const SUMMARY_SYSTEM = `${PERSONA}\nSummarise the ticket thread in five bullet points.\n\n${HANDBOOK}`;

interface Ticket {
  id: string;
  customer: string;
  body: string;
}

export async function answerTicket(ticket: Ticket) {
  // Reported: a template of constants, rebuilt on every call.
  const system = `${PERSONA}\n\n${STYLE_RULES.join('\n')}\n\n<handbook>\n${HANDBOOK}\n</handbook>`;
  // Reported: the escalation policy is read from disk on every call.
  const escalation = readFileSync(new URL('./prompts/escalation.md', import.meta.url), 'utf8');
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      { type: 'text', text: system },
      { type: 'text', text: escalation, cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: `Ticket ${ticket.id} from ${ticket.customer}:\n\n${ticket.body}` }],
  });
}

export async function summarizeThread(thread: string) {
  // Reported: an awaited read of the glossary on every call.
  const glossary = await readFile(new URL('./prompts/glossary.md', import.meta.url), 'utf8');
  return client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 512,
    system: [
      { type: 'text', text: SUMMARY_SYSTEM },
      { type: 'text', text: glossary, cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: thread }],
  });
}
