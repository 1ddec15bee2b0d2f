/** A readable message from a failed tRPC call (the server already hides internal details). */
export function trpcErrorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: string; data?: { zodError?: { fieldErrors?: Record<string, string[] | undefined>; formErrors?: string[] } | null } };
    const zod = e.data?.zodError;
    if (zod) {
      const fields = Object.entries(zod.fieldErrors ?? {}).flatMap(([k, v]) => (v ?? []).map((m) => `${k}: ${m}`));
      const all = [...(zod.formErrors ?? []), ...fields];
      if (all.length) return `Please check the form — ${all.join('; ')}`;
    }
    if (e.message) return e.message;
  }
  return 'Something went wrong. Please try again.';
}
