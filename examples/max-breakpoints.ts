// A support chat for a bookshop. The conversation is stored per session and sent back on every turn.
// `continueChat` marks every stored message with cache_control: fine in a short test chat, a 400 from the
// API ("A maximum of 4 blocks with cache_control may be provided") once a conversation has five messages.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const CACHED = { type: 'ephemeral' } as const;

const GUIDE = [
  'You answer customers of Paper Lantern Books, an independent bookshop with two stores and a web shop.',
  'Be brief and friendly. Recommend at most three books per answer, with author and one line on why.',
  'Orders ship within two working days; returns are accepted within 30 days with the receipt.',
  'Never promise stock you have not checked with the lookup tool. Never ask for card numbers.',
]
  .join('\n')
  .concat('\n\n', 'Store policies and the current catalogue summary follow. '.repeat(150));

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** Reported: one breakpoint per stored message. */
export async function continueChat(history: Turn[]) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: GUIDE, cache_control: CACHED }],
    messages: history.map((turn) => ({
      role: turn.role,
      content: [{ type: 'text', text: turn.text, cache_control: CACHED }],
    })),
  });
}

/** Reported: the reading-list helper marks every book excerpt it sends. */
export async function compareExcerpts(excerpts: string[], question: string) {
  const blocks: Anthropic.TextBlockParam[] = [];
  for (const excerpt of excerpts) {
    blocks.push({ type: 'text', text: excerpt, cache_control: CACHED });
  }
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: GUIDE }],
    messages: [{ role: 'user', content: [...blocks, { type: 'text', text: question }] }],
  });
}

// Not reported: only the newest message carries the marker, so the guide and the whole conversation before
// it are read from the cache on the next turn.
export async function continueChatCached(history: Turn[]) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: GUIDE, cache_control: CACHED }],
    messages: history.map((turn, i) => ({
      role: turn.role,
      content: [{ type: 'text', text: turn.text, cache_control: i === history.length - 1 ? CACHED : undefined }],
    })),
  });
}
