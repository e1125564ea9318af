// Markdown formatter: a summary for a pull-request comment or a GitHub Actions job summary
// (`$GITHUB_STEP_SUMMARY`). It has ESLint's formatter signature, so it also works as
// `eslint --format ./node_modules/eslint-plugin-prompt-cache/bin/formatters/markdown.js`.
import path from 'node:path';

const TITLE = 'prompt-cache-lint';

function plural(count, noun) {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** A code span that survives backticks in its text (CommonMark: a longer fence, padded with spaces). */
function codeSpan(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Inside a code span only the table's own syntax needs care: no line breaks, escaped pipes. */
function escapeCodeSpanText(text) {
  return text.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Plain text in a table cell. Every character with a meaning in GitHub Markdown is backslash-escaped (valid
 * for any ASCII punctuation): `|` would split the cell, `<` open HTML, `$` start math (our messages quote
 * prices), `~` strike through, `*` `_` emphasise, `[` link, a lone backtick open a code span. Line breaks
 * become `<br>`.
 */
function escapeText(text) {
  return text.replace(/[\\`*_~[\]<>|$&]/g, (char) => `\\${char}`).replace(/\r\n?|\n/g, '<br>');
}

const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/**
 * Escapes a message for one table cell. Code spans in the message (our rules write `cache_control` and the
 * like) are kept as code spans; everything else is escaped so that `|`, line breaks and `<` cannot break
 * the table or be read as HTML.
 */
export function escapeCell(text) {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    out += escapeText(text.slice(last, match.index));
    out += `${match[1]}${escapeCodeSpanText(match[2])}${match[1]}`;
    last = match.index + match[0].length;
  }
  return out + escapeText(text.slice(last));
}

function location(filePath, message, cwd) {
  const relative = path.relative(cwd, filePath).split(path.sep).join('/') || filePath;
  const position = message.line > 0 ? `:${message.line}${message.column > 0 ? `:${message.column}` : ''}` : '';
  return codeSpan(escapeCodeSpanText(`${relative}${position}`));
}

function ruleCell(message, rulesMeta) {
  if (!message.ruleId) return message.fatal ? 'parse error' : '—';
  const url = rulesMeta?.[message.ruleId]?.docs?.url;
  return url ? `[${escapeText(message.ruleId)}](${url.replace(/[\s()<>]/g, encodeURIComponent)})` : codeSpan(escapeCodeSpanText(message.ruleId));
}

/**
 * @param {import('eslint').ESLint.LintResult[]} results
 * @param {{ cwd?: string, rulesMeta?: Record<string, import('eslint').Rule.RuleMetaData> }} [context]
 * @returns {string}
 */
export default function formatMarkdown(results, context = {}) {
  const cwd = context.cwd ?? process.cwd();
  const rows = [];
  let errors = 0;
  let warnings = 0;
  const files = new Set();
  for (const result of results) {
    for (const message of result.messages) {
      const isError = message.fatal === true || message.severity === 2;
      if (isError) errors += 1;
      else warnings += 1;
      files.add(result.filePath);
      rows.push(
        `| ${location(result.filePath, message, cwd)} | ${isError ? 'error' : 'warning'} | ` +
          `${ruleCell(message, context.rulesMeta)} | ${escapeCell(message.message)} |`,
      );
    }
  }
  if (rows.length === 0) {
    return `### ✅ ${TITLE}: no problems\n\nNo problems found in ${plural(results.length, 'file')}.\n`;
  }
  const icon = errors > 0 ? '❌' : '⚠️';
  return [
    `### ${icon} ${TITLE}: ${plural(rows.length, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`,
    '',
    `Found in ${files.size.toLocaleString('en-US')} of ${plural(results.length, 'checked file')}.`,
    '',
    '| Location | Severity | Rule | Message |',
    '| :------- | :------- | :--- | :------ |',
    ...rows,
    '',
  ].join('\n');
}
