// Rewrites the generated sections of docs/performance.md, between `<!-- <name>:begin -->` and
// `<!-- <name>:end -->`, leaving the hand-written text around them alone.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from './lint.mjs';

export const PERFORMANCE_DOC = path.join(repoRoot, 'docs', 'performance.md');

export function replaceMarkedSection(name, content, file = PERFORMANCE_DOC) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`${path.relative(repoRoot, file)} has no '${begin}' … '${end}' section to rewrite`);
  }
  const body = content.endsWith('\n') ? content : `${content}\n`;
  writeFileSync(file, `${text.slice(0, from + begin.length)}\n${body}${text.slice(to)}`);
}

/** One line describing where and when a measurement ran. */
export function machineLine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  const date = new Date().toISOString().slice(0, 10);
  return `${date}, Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${model}), ${gib} GiB RAM`;
}

/** Markdown table from a header row and data rows. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
