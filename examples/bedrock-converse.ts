// A document Q&A service on AWS Bedrock Converse. The cache point closes a system block that embeds today's
// date, so the long handbook before it is written again every day and every cold start — and the date moves
// daily anyway. The second function is the fixed layout.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const client = new BedrockRuntimeClient({ region: 'us-east-1' });

const HANDBOOK = 'Acme employee handbook: travel, expenses, security, leave and benefits policies. '.repeat(300);

export async function ask(question: string) {
  const result = await client.send(
    new ConverseCommand({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      system: [{ text: `${HANDBOOK}\nToday is ${new Date().toDateString()}.` }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: question }] }],
    }),
  );
  return result.output;
}

export async function askCached(question: string) {
  const result = await client.send(
    new ConverseCommand({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      system: [{ text: HANDBOOK }, { cachePoint: { type: 'default' } }, { text: `Today is ${new Date().toDateString()}.` }],
      messages: [{ role: 'user', content: [{ text: question }] }],
    }),
  );
  return result.output;
}
