/** The export's codebook, generated from the same column definitions that write the files, so the two never drift. */
import { chatColumns } from './message-tables';
import { tables } from './tables';
import type { Column } from './table-spec';
import type { ExportFormat } from './archive';

function columnTable(columns: Column[]): string {
  const lines = ['| column | type | meaning |', '| --- | --- | --- |'];
  for (const c of columns) lines.push(`| \`${c.name}\` | ${c.type} | ${c.description.replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}

export function renderCodebook(formats: ExportFormat[]): string {
  const parts = [
    '# Codebook',
    '',
    'Files in this export and what every column means. One folder per study.',
    '',
    '- `manifest.json`: study, study version(s), app version, export time, filters, row counts per file, and whether the offline demo model produced any reply (`demoModelUsed`).',
    '- `study_versions.jsonl`: one line per frozen study version with its configuration (arms, prompts, limits); connection secrets are never included.',
    `- Tables below are written as ${formats.map((f) => `\`.${f}\``).join(' and ')}. CSV: header row, RFC 4180 quoting, empty cell = missing, booleans \`true\`/\`false\`, JSON columns as JSON text; a \`text\` cell that starts with \`=\`, \`+\`, \`-\`, \`@\`, tab or carriage return is written with a leading \`'\` so spreadsheets do not run it as a formula (the JSONL files are never altered and hold the exact text). JSONL: one JSON object per line, missing = \`null\`.`,
    '- Timestamps: ISO 8601, UTC. Every table joins on `participant_id`.',
    '',
  ];
  for (const table of tables) {
    parts.push(`## ${table.name}`, '', table.description, '', columnTable(table.columns), '');
  }
  parts.push(
    '## conversations.chat.jsonl',
    '',
    'One conversation per line in the chat-messages format used by Hugging Face datasets (`datasets.load_dataset("json", data_files=...)`): a `messages` list of `{"role", "content"}` plus metadata columns.',
    '',
    columnTable(chatColumns),
    '',
    '## Types',
    '',
    '`uuid` random identifier; `text` string; `integer` whole number; `number` decimal; `boolean` true/false; `timestamp` ISO 8601 UTC; `json` nested JSON value.',
    '',
  );
  return parts.join('\n');
}
