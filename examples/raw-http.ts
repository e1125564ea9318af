// A serverless function that calls the Messages API with fetch (no SDK). The cached system prompt ends with
// a request id, so every call writes the cache instead of reading it.
const POLICY = 'You are the billing assistant of Acme Cloud. Answer from the price list below. '.repeat(60);

export async function handler(event: { body: string; requestId: string }) {
  const { question } = JSON.parse(event.body) as { question: string };
  const response = await fetch('https://api.anthropic.com/v1/messages', {
    method: 'POST',
    headers: {
      'x-api-key': process.env.ANTHROPIC_API_KEY ?? '',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      system: [{ type: 'text', text: `${POLICY}\nRequest: ${event.requestId}`, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: question }],
    }),
  });
  return response.json();
}

// Not a Messages API call: the same body shape sent to another service is left alone.
export async function mirror(payload: { system: unknown; messages: unknown }) {
  return fetch('https://audit.internal.example/v1/log', { method: 'POST', body: JSON.stringify({ ...payload, at: Date.now() }) });
}
