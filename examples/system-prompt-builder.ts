// A coding agent's system prompt, built here and sent by the provider layer (another module), which adds the
// cache markers. No request is visible in this file: `no-volatile-in-prefix` reads the prompt by its name.
import os from 'node:os';

const IDENTITY = "You are Forge, a coding agent that works in the user's repository.";
const RULES = ['Read files before you edit them.', 'Run the tests after each change.', 'Never commit secrets.'].join('\n');

/** Lines about the machine the agent runs on. */
function environment(cwd: string): string {
  return [`Working directory: ${cwd}`, `Platform: ${os.platform()}`, `Today's date: ${new Date().toDateString()}`].join('\n');
}

// Reported: today's date changes daily, and it sits in front of everything the provider caches after it.
export function buildSystemPrompt(cwd: string): string {
  return [IDENTITY, RULES, environment(cwd)].join('\n\n');
}

/** Values substituted into `{name}` placeholders of the prompt template. */
const VARIABLES: Record<string, () => string> = {
  datetime: () => new Date().toLocaleString('en-US'),
  platform: () => os.platform(),
};
const TEMPLATE = 'You are Forge.\nThe time is {datetime}.\nThe platform is {platform}.';

// Reported: {datetime} expands to the time, to the second.
export function renderSystemPrompt(): string {
  return TEMPLATE.replace(/\{(\w+)\}/g, (_match, key: string) => VARIABLES[key]?.() ?? '');
}

// Not reported: the date is captured once, when the session starts, so the prompt is stable for the session.
export function createSession(cwd: string) {
  const startedOn = new Date().toDateString();
  return {
    getSystemPrompt: () => `${IDENTITY}\nSession started: ${startedOn}\nWorking directory: ${cwd}`,
  };
}
