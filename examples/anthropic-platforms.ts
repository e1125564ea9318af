// Claude on Google Cloud Vertex AI, with a nightly batch job on the first-party API. The batch params embed a
// random sample id in the cached system prompt; the Vertex request caches a prompt far below the model's minimum.
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';

const vertex = new AnthropicVertex({ region: 'us-east5', projectId: 'acme-ai' });
const anthropic = new Anthropic();

const RUBRIC = 'Grade the answer for accuracy, completeness and tone. Reply with a JSON object. '.repeat(120);

export async function classify(text: string) {
  return vertex.messages.create({
    model: 'claude-haiku-4-5@20251001',
    max_tokens: 64,
    system: [{ type: 'text', text: 'Classify the sentiment as positive, neutral or negative.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: text }],
  });
}

export async function nightlyGrading(answers: string[]) {
  return anthropic.messages.batches.create({
    requests: answers.map((answer, index) => ({
      custom_id: `answer-${index}`,
      params: {
        model: 'claude-sonnet-4-5',
        max_tokens: 256,
        system: [{ type: 'text', text: `${RUBRIC}\nSample: ${Math.random().toString(36).slice(2)}`, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: answer }],
      },
    })),
  });
}
