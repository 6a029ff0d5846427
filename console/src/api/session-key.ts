/** The API key the console sends, kept for this browser tab only (sessionStorage), never in localStorage. */
const storageKey = 'imagegate.apiKey';

/** `null`: not signed in; `''`: signed in without a key (the server accepts anonymous requests). */
export function readSessionKey(): string | null {
  return sessionStorage.getItem(storageKey);
}

export function writeSessionKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

export function clearSessionKey(): void {
  sessionStorage.removeItem(storageKey);
}
