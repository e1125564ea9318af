// A support chat route built on the Vercel AI SDK. The long policy prompt is cached with the Anthropic provider's
// `cacheControl`, but the cached system message also carries the request time, so every request writes the
// whole prefix again instead of reading it. The second handler (an agent) keeps the time after the breakpoint.
import { streamText, tool, ToolLoopAgent, type ModelMessage } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';

const POLICY = 'Acme Cloud support policy: accounts, billing, refunds, outages and the public API. '.repeat(300);

const cached = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;

const tools = {
  lookupInvoice: tool({
    description: 'Look up an invoice by its number.',
    inputSchema: z.object({ invoice: z.string() }),
    execute: async ({ invoice }) => ({ invoice, status: 'paid' }),
  }),
};

export async function POST(request: Request) {
  const { messages }: { messages: ModelMessage[] } = await request.json();
  const result = streamText({
    model: anthropic('claude-sonnet-4-5'),
    tools,
    system: {
      role: 'system',
      content: `${POLICY}\nCurrent time: ${new Date().toISOString()}`,
      providerOptions: cached,
    },
    messages,
  });
  return result.toTextStreamResponse();
}

// The fixed version: the stable policy is one cached system message; the time follows the breakpoint.
const agent = new ToolLoopAgent({
  model: anthropic('claude-sonnet-4-5'),
  tools,
  instructions: { role: 'system', content: POLICY, providerOptions: cached },
});

export async function answer(question: string) {
  return agent.generate({
    messages: [{ role: 'user', content: `${question}\n(Asked at ${new Date().toISOString()})` }],
  });
}
