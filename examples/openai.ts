// A support bot on OpenAI, where prompt caching is automatic for prompts of 1,024+ tokens. The current time
// comes first in the system message, so the long playbook after it never matches a cached prefix; and a fresh
// prompt_cache_key per call routes every request to a new cache.
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';

const openai = new OpenAI();

const PLAYBOOK = 'Support playbook: greet, identify the account, check the status page, then troubleshoot. '.repeat(80);

export async function reply(question: string) {
  return openai.chat.completions.create({
    model: 'gpt-5',
    prompt_cache_key: randomUUID(),
    messages: [
      { role: 'system', content: `Current time: ${new Date().toISOString()}\n${PLAYBOOK}` },
      { role: 'user', content: question },
    ],
  });
}

// Fixed: stable text first, the time in the user message, one cache key for this prompt family.
export async function replyCached(question: string) {
  return openai.chat.completions.create({
    model: 'gpt-5',
    prompt_cache_key: 'support-bot',
    messages: [
      { role: 'system', content: PLAYBOOK },
      { role: 'user', content: `(${new Date().toISOString()}) ${question}` },
    ],
  });
}
