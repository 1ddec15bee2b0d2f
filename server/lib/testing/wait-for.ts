/**
 * Waits until `check` holds, re-checking every `intervalMs`; throws after `timeoutMs`. For tests only: they assert
 * guarantees ("the run completes"), not schedules, so the time limit is a generous safety net for loaded machines,
 * never the thing under test.
 */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 120_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('condition not met in time');
}
