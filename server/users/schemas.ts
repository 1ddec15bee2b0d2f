/** Inputs of the user administration verbs. Pure zod, so browser forms validate with the same rules. */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password-rules';

export const roleSchema = z.enum(['admin', 'researcher', 'viewer']);

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, 'at most 200 characters');

export const createUserInput = z.object({
  email: z.email('enter a valid email address').max(320),
  name: z.string().trim().max(120).optional(),
  role: roleSchema,
  /** Omit for accounts that only sign in through OIDC. */
  password: passwordSchema.optional(),
});

export const setRoleInput = z.object({ userId: z.uuid(), role: roleSchema });
export const setDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean() });
export const resetPasswordInput = z.object({ userId: z.uuid(), password: passwordSchema });
export const changeOwnPasswordInput = z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema });
