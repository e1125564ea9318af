// End-to-end editor test: the ESLint language server of the VS Code ESLint extension (vscode-eslint's server,
// published as `vscode-eslint-language-server` by vscode-langservers-extracted) runs over stdio against a
// temporary workspace whose flat config enables the built plugin. A minimal LSP client (JSON-RPC 2.0 with
// `Content-Length` framing) plays VS Code: it answers `workspace/configuration` with the extension's settings,
// opens a TypeScript file with a timestamp in a cached system block and asks for its diagnostics.
//
// This server implements pull diagnostics (LSP 3.17 `textDocument/diagnostic`, advertised as
// `diagnosticProvider`) and never sends `textDocument/publishDiagnostics`, so the client pulls them after
// `didOpen`, as VS Code does. The test runs once per ESLint major the plugin supports: the workspace's
// `node_modules/eslint` is a symlink to this repository's `eslint` (10) or `eslint-v9` (the `npm:eslint@9` alias).
// The plugin is built first (`npm test` does).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PLUGIN_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const require = createRequire(import.meta.url);
const SERVER_PACKAGE = path.dirname(require.resolve('vscode-langservers-extracted/package.json'));
const SERVER_BIN = path.join(SERVER_PACKAGE, 'bin', 'vscode-eslint-language-server');
const RULE_ID = 'prompt-cache/no-volatile-in-prefix';
const TIMEOUT_MS = 40_000;

// The file the user edits: a cached system block, long enough to be cached, whose text ends with the current time.
const VOLATILE_CALL = 'new Date().toISOString()';
const AGENT_TS = `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const INSTRUCTIONS = 'You are the support assistant of Acme Cloud. Answer questions about accounts and billing. '.repeat(80);

export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      {
        type: 'text',
        text: \`\${INSTRUCTIONS}\\nToday is \${${VOLATILE_CALL}}.\`,
        cache_control: { type: 'ephemeral' },
      },
    ],
    messages: [{ role: 'user', content: question }],
  });
}
`;

// The flat config a user writes (the README's), with the plugin imported from this repository's build.
const ESLINT_CONFIG_JS = `import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import promptCache from ${JSON.stringify(pathToFileURL(PLUGIN_ENTRY).href)};

export default defineConfig([
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    languageOptions: { parser: tsParser },
    plugins: { 'prompt-cache': promptCache },
    extends: ['prompt-cache/recommended'],
  },
]);
`;

interface Position {
  line: number;
  character: number;
}
interface Diagnostic {
  range: { start: Position; end: Position };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
}
interface CodeAction {
  title: string;
  kind?: string;
}
interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A minimal LSP client over a child process's stdio: `Content-Length` framing, requests, notifications. */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly log: string[] = [];
  readonly serverRequests: string[] = [];

  constructor(
    private readonly server: ChildProcessWithoutNullStreams,
    private readonly onServerRequest: (method: string, params: unknown) => unknown,
  ) {
    server.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    server.stderr.on('data', (chunk: Buffer) => this.log.push(`[stderr] ${chunk.toString('utf8')}`));
    const failAll = (error: Error) => {
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    server.on('error', failAll);
    server.on('exit', (code, signal) =>
      failAll(new Error(`language server exited (code ${code}, signal ${signal})\n${this.log.join('\n')}`)),
    );
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: JsonRpcMessage): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.server.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /^Content-Length: *(\d+)$/im.exec(header)?.[1];
      if (length === undefined) throw new Error(`LSP frame without Content-Length: ${header}`);
      const start = headerEnd + 4;
      const end = start + Number(length);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as JsonRpcMessage;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: JsonRpcMessage): void {
    if (message.method !== undefined && message.id !== undefined) {
      // A request from the server to the client.
      this.serverRequests.push(message.method);
      let result: unknown = null;
      try {
        result = this.onServerRequest(message.method, message.params) ?? null;
      } catch (error) {
        this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error) } });
        return;
      }
      this.send({ jsonrpc: '2.0', id: message.id, result });
    } else if (message.method !== undefined) {
      if (message.method === 'window/logMessage' || message.method === 'window/showMessage') {
        this.log.push(String((message.params as { message?: unknown }).message));
      }
    } else if (typeof message.id === 'number') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.error) waiter.reject(new Error(`${message.error.message}\n${this.log.join('\n')}`));
      else waiter.resolve(message.result);
    }
  }
}

/** The per-document settings the VS Code extension's client answers `workspace/configuration` with. */
function extensionSettings(workspace: string, validate: 'on' | 'probe') {
  return {
    validate,
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: true,
    experimental: { useFlatConfig: false }, // true would load `FlatESLint`, which ESLint 10 no longer exports
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { mode: 'all', rules: undefined },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    // The client resolves `eslint.workingDirectories: [{ mode: 'location' }]` to this per-document value.
    workingDirectory: { mode: 'location' },
    workspaceFolder: { name: path.basename(workspace), uri: pathToFileURL(workspace).href },
  };
}

function makeWorkspace(eslintPackage: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'prompt-cache-editor-'));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'editor-workspace', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'eslint.config.js'), ESLINT_CONFIG_JS);
  mkdirSync(path.join(dir, 'node_modules', '@typescript-eslint'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules', eslintPackage), path.join(dir, 'node_modules', 'eslint'), 'junction');
  symlinkSync(
    path.join(ROOT, 'node_modules', '@typescript-eslint', 'parser'),
    path.join(dir, 'node_modules', '@typescript-eslint', 'parser'),
    'junction',
  );
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'agent.ts'), AGENT_TS);
  return dir;
}

function withTimeout<T>(promise: Promise<T>, what: string, log: string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}\n${log.join('\n')}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** LSP position of the first occurrence of `needle` in `text` (UTF-16 code units, like JavaScript strings). */
function positionOf(text: string, needle: string): Position {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

let server: ChildProcessWithoutNullStreams | undefined;
let workspace: string | undefined;

afterEach(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = undefined;
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  workspace = undefined;
});

// `validate: 'probe'` is what the extension sends for TypeScript when the user has no `eslint.validate`
// setting: the server lints the file only if the flat config has an object for it.
const CASES = [
  { name: 'eslint', major: 10, validate: 'on' as const },
  { name: 'eslint-v9', major: 9, validate: 'on' as const },
  { name: 'eslint', major: 10, validate: 'probe' as const },
];

describe('VS Code ESLint language server (vscode-eslint-language-server)', () => {
  it.each(CASES)('shows our diagnostic with rule id, message, range and docs link ($name, validate: $validate)', async ({ name, major, validate }) => {
    const eslintVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(Number(eslintVersion.split('.')[0])).toBe(major);

    const dir = makeWorkspace(name);
    workspace = dir;
    const settings = extensionSettings(dir, validate);
    const child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    server = child;
    const configurationRequests: unknown[] = [];
    const client = new LspClient(child, (method, params) => {
      switch (method) {
        case 'workspace/configuration': {
          const items = (params as { items: unknown[] }).items;
          configurationRequests.push(...items);
          return items.map(() => settings);
        }
        case 'eslint/noLibrary':
        case 'eslint/noConfig':
        case 'eslint/probeFailed':
          client.log.push(`server reported ${method}: ${JSON.stringify(params)}`);
          return {};
        default:
          return null; // client/registerCapability, window/workDoneProgress/create, ...
      }
    });

    const initialized = await withTimeout(
      client.request<{ capabilities: { diagnosticProvider?: unknown } }>('initialize', {
        processId: process.pid,
        clientInfo: { name: 'prompt-cache-editor-test' },
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: path.basename(dir) }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: true },
            diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
            publishDiagnostics: { codeDescriptionSupport: true, relatedInformation: true },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll.eslint'] } } },
          },
        },
      }),
      'initialize',
      client.log,
    );
    expect(initialized.capabilities.diagnosticProvider).toBeDefined();
    client.notify('initialized', {});

    const file = path.join(dir, 'src', 'agent.ts');
    const uri = pathToFileURL(file).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: AGENT_TS } });
    const report = await withTimeout(
      client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }),
      'textDocument/diagnostic',
      client.log,
    );

    // The server asked for the document's settings and loaded the workspace's ESLint of the expected major.
    expect(configurationRequests).toContainEqual({ scopeUri: uri, section: '' });
    expect(client.log.join('\n')).toContain(`ESLint library loaded from: ${require.resolve(name)}`);
    expect(client.log.join('\n')).not.toMatch(/server reported eslint\//);

    expect(report.kind).toBe('full');
    expect(report.items, client.log.join('\n')).toHaveLength(1);
    const [diagnostic] = report.items;

    // What ESLint itself reports for the same text with the same rule: the server must pass it through unchanged.
    const { ESLint } = (await import(pathToFileURL(require.resolve(name)).href)) as typeof import('eslint');
    const tsParser = (await import('@typescript-eslint/parser')).default;
    const direct = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs.recommended }],
    });
    const [result] = await direct.lintText(AGENT_TS, { filePath: file });
    expect(result.messages).toHaveLength(1);
    const expected = result.messages[0];

    // The report sits on `new Date()` (the value that changes), on the line of the cached system text.
    const start = positionOf(AGENT_TS, 'new Date()');
    expect({ line: expected.line - 1, character: expected.column - 1 }).toEqual(start);
    expect(diagnostic).toEqual({
      source: 'eslint',
      code: RULE_ID,
      codeDescription: { href: plugin.rules['no-volatile-in-prefix'].meta?.docs?.url },
      severity: 1, // DiagnosticSeverity.Error: the recommended config sets 'error'
      message: expected.message,
      range: { start, end: { line: expected.endLine! - 1, character: expected.endColumn! - 1 } },
    });
    expect(diagnostic.range.end).toEqual({ line: start.line, character: start.character + 'new Date()'.length });
    expect(diagnostic.message).toMatch(/^new Date\(\)\.toISOString\(\) .* cached prefix/);
    expect(diagnostic.codeDescription?.href).toBe(
      'https://github.com/prompt-cache/eslint-plugin-prompt-cache/blob/main/docs/rules/no-volatile-in-prefix.md',
    );

    // The light bulb: our suggestion and the link to the rule's docs.
    const actions = await withTimeout(
      client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      }),
      'textDocument/codeAction',
      client.log,
    );
    const titles = actions.map((action) => action.title);
    expect(expected.suggestions).toHaveLength(1);
    expect(titles).toEqual([
      `${expected.suggestions![0].desc} (${RULE_ID})`,
      `Disable ${RULE_ID} for this line`,
      `Disable ${RULE_ID} for the entire file`,
      `Show documentation for ${RULE_ID}`,
    ]);
    expect(titles[0]).toMatch(/^Move new Date\(\)\.toISOString\(\) into its own text block/);

    await withTimeout(client.request('shutdown', null), 'shutdown', client.log);
    client.notify('exit', null);
  });
});
