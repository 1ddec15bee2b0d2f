/** Parses export options from a URL's query string (route handler and UI share this contract). */
import { z } from 'zod';
import type { ExportFormat } from './archive';

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

export const exportQuerySchema = z.object({
  formats: z
    .string()
    .max(20)
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? 'csv,jsonl').split(',').map((s) => s.trim()).filter(Boolean);
      if (!list.length || list.some((f) => f !== 'csv' && f !== 'jsonl')) {
        ctx.addIssue({ code: 'custom', message: 'formats must be csv, jsonl or csv,jsonl' });
        return z.NEVER;
      }
      return [...new Set(list)] as ExportFormat[];
    }),
  versions: z
    .string()
    .max(4000)
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(z.uuid('versions must be study version ids')).max(100)),
  hashIds: flag,
  /** Raw Prolific/MTurk ids although the consent promises anonymised data (admins only; see id-policy.ts). */
  rawIds: flag,
  includePreviews: flag,
});

export type ExportQuery = z.infer<typeof exportQuerySchema>;

export function exportQueryString(q: { formats: ExportFormat[]; versions: string[]; hashIds: boolean; rawIds?: boolean; includePreviews: boolean }): string {
  const params = new URLSearchParams({ formats: q.formats.join(',') });
  if (q.versions.length) params.set('versions', q.versions.join(','));
  if (q.hashIds) params.set('hashIds', '1');
  if (q.rawIds) params.set('rawIds', '1');
  if (q.includePreviews) params.set('includePreviews', '1');
  return params.toString();
}
