// A support-ticket triage service. The label guide and the worked examples are the same on every request,
// but the cache breakpoint closes only the policy block before them: they are re-sent uncached each time.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const POLICY = [
  'You triage incoming support tickets for Acme Cloud, a hosting provider for small businesses.',
  'Read the whole ticket before deciding. Use only the labels defined below; never invent a new one.',
  'If a ticket fits several labels, pick the one a human agent would need to act on first.',
  'Never promise refunds, credits or deadlines. Never ask the customer for passwords or card numbers.',
  'Reply with a JSON object: {"label": string, "priority": "p1" | "p2" | "p3", "summary": string}.',
].join('\n').concat('\n\n', 'Acme Cloud service description (abridged). '.repeat(120));

const LABEL_GUIDE = [
  '## Labels',
  'billing: invoices, refunds, failed payments, plan upgrades and downgrades, tax questions.',
  'outage: a service is down or unreachable for the customer right now; always at least p2.',
  'performance: the service works but is slow, times out sometimes, or uses too much memory.',
  'account: login problems, two-factor authentication, ownership transfer, deleting the account.',
  'dns: domains, DNS records, certificates, e-mail deliverability (SPF, DKIM, DMARC).',
  'feature-request: the customer asks for something the product does not do yet.',
  'other: anything else, including spam and messages that are not about Acme Cloud.',
  '',
  '## Priorities',
  'p1: production down for a paying customer, data loss, or a security incident.',
  'p2: production degraded, or a deadline mentioned by the customer within 48 hours.',
  'p3: everything else.',
].join('\n');

const WORKED_EXAMPLES = [
  'Ticket: "Our checkout page returns 502 since 09:10 UTC, we are losing orders." → {"label":"outage","priority":"p1","summary":"Checkout returns 502 since 09:10 UTC."}',
  'Ticket: "I was charged twice for March, please fix." → {"label":"billing","priority":"p3","summary":"Duplicate charge for March."}',
  'Ticket: "Can you add a Terraform provider?" → {"label":"feature-request","priority":"p3","summary":"Asks for a Terraform provider."}',
  'Ticket: "Let\'s Encrypt renewal failed, the site shows a certificate warning." → {"label":"dns","priority":"p2","summary":"Certificate renewal failed; browser warning."}',
  'Ticket: "Lost my phone, cannot pass 2FA, launch is tomorrow." → {"label":"account","priority":"p2","summary":"Locked out by 2FA; launch tomorrow."}',
].join('\n');

export interface Ticket {
  id: string;
  subject: string;
  body: string;
}

export async function triage(ticket: Ticket) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 300,
    system: [
      { type: 'text', text: POLICY, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: LABEL_GUIDE },
      { type: 'text', text: WORKED_EXAMPLES },
    ],
    messages: [{ role: 'user', content: `Subject: ${ticket.subject}\n\n${ticket.body}` }],
  });
}

// Not reported: a follow-up conversation about a ticket. The marker sits on the newest turn of a growing
// conversation (the multi-turn pattern), so everything before it, the guide included, is cached.
export async function followUp(history: Anthropic.MessageParam[], reply: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [
      { type: 'text', text: POLICY },
      { type: 'text', text: LABEL_GUIDE },
    ],
    messages: [...history, { role: 'user', content: [{ type: 'text', text: reply, cache_control: { type: 'ephemeral' } }] }],
  });
}
