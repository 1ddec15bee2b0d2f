/**
 * This web process's id in `web_processes` (reply-owners.ts registers it at start). Reply rows name it as
 * their owner, and only the owner writes them. Null where no web process registered (scripts, unit tests):
 * such rows have no live owner, so a running web process's sweep would interrupt them.
 */
const state = globalThis as unknown as { __collabWebProcessId?: string | null };

export function webProcessId(): string | null {
  return state.__collabWebProcessId ?? null;
}

export function setWebProcessId(id: string | null): void {
  state.__collabWebProcessId = id;
}
