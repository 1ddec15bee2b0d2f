/** The shapes every export table shares: columns (with codebook text), rows, the export's scope and context, and a table spec. */
import type { DbExecutor } from '../../db';

export type ColumnType = 'uuid' | 'text' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';
export interface Column {
  name: string;
  type: ColumnType;
  description: string;
}
export type Row = Record<string, unknown>;

export interface ExportScope {
  studyId: string;
  /** Empty = every version. */
  versionIds: string[];
  includePreviews: boolean;
  hashExternalIds: boolean;
}

export interface ExportContext {
  db: DbExecutor;
  scope: ExportScope;
  versionNumbers: Map<string, number>;
  /** `<versionId>:<armKey>` → the arm's label in that version (the label researchers see on every page). */
  armLabels: Map<string, string>;
  /** Participants per page; child rows per page are bounded by the study's turn and rating limits. */
  pageSize: number;
  /** Set when any exported message came from the built-in offline demo model. */
  stats: { demoModelUsed: boolean };
}

export interface TableSpec {
  name: string;
  description: string;
  columns: Column[];
  pages(ctx: ExportContext): AsyncGenerator<Row[]>;
}
