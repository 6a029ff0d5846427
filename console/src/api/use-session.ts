import { useSyncExternalStore } from 'react';
import { readSessionKey } from './session-key.js';

const changeEvents = ['imagegate:signed-in', 'imagegate:signed-out'];

function subscribe(onChange: () => void): () => void {
  for (const name of changeEvents) window.addEventListener(name, onChange);
  return () => {
    for (const name of changeEvents) window.removeEventListener(name, onChange);
  };
}

/** The tab's API key: `null` when signed out, `''` when signed in without one. */
export function useSessionKey(): string | null {
  return useSyncExternalStore(subscribe, readSessionKey);
}
