/** Plumbing shared by the study setup sections: field ids and error keys from config paths, and the props every section takes. */
import type { StudyConfig } from '~/server/studies/config';
import type { FieldErrors } from '~/server/studies/form-errors';

export type Path = (string | number)[];

/** Field ids are "f-" + the config path joined by "-", which lets the error summary link to them. */
export const fieldId = (path: Path) => `f-${path.join('-')}`;
export const pathKey = (path: Path) => path.join('.');

export interface ConnectionChoice {
  id: string;
  name: string;
  defaultModel: string;
}

/** The error shown for a config path (empty until the researcher first tries to save). */
export type ErrorAt = (path: Path) => string | undefined;
/** Changes a copy of the config; the editor marks the form dirty. */
export type UpdateConfig = (mutate: (draft: StudyConfig) => void) => void;

export interface SectionProps {
  config: StudyConfig;
  err: ErrorAt;
  update: UpdateConfig;
}

export function firstChildError(errors: FieldErrors, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(`${prefix}.`));
  return key ? errors[key] : undefined;
}
