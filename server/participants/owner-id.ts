/**
 * This web process's id in `web_processes` (reply-owners.ts registers it at start). Reply rows name it as
 * their owner, and only the owner writes them. Null where no web process registered (scripts, unit tests):
 * such rows have no live owner, so a running web process's sweep would interrupt them.
 */
const state = globalThis as unknown as { __collabWebProcessId?: string | null; __collabWebProcessStopping?: boolean };

export function webProcessId(): string | null {
  return state.__collabWebProcessId ?? null;
}

export function setWebProcessId(id: string | null): void {
  state.__collabWebProcessId = id;
}

/** True once this process received SIGTERM/SIGINT: /api/health answers 503 so load balancers stop sending. */
export function webProcessStopping(): boolean {
  return state.__collabWebProcessStopping ?? false;
}

export function markWebProcessStopping(): void {
  state.__collabWebProcessStopping = true;
}
