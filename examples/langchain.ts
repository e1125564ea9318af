// A help-desk assistant on LangChain.js. The cached system block ends with the current time, so the
// ~2,500-token knowledge base before the breakpoint is written again on every request instead of read.
// `answerCached` is the fixed layout: the stable block carries the marker, the time follows it.
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';

const model = new ChatAnthropic({ model: 'claude-sonnet-4-6', maxTokens: 1024 });

const KNOWLEDGE_BASE = 'Acme help desk knowledge base: accounts, billing, invoices, refunds and API limits. '.repeat(120);

export async function answer(question: string) {
  return model.invoke([
    new SystemMessage({
      content: [{ type: 'text', text: `${KNOWLEDGE_BASE}\nCurrent time: ${new Date().toISOString()}`, cache_control: { type: 'ephemeral' } }],
    }),
    new HumanMessage(question),
  ]);
}

export async function answerCached(question: string) {
  return model.invoke([
    new SystemMessage({
      content: [
        { type: 'text', text: KNOWLEDGE_BASE, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: `Current time: ${new Date().toISOString()}` },
      ],
    }),
    new HumanMessage(question),
  ]);
}
