import { randomBytes } from 'node:crypto';

const RUN_ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `flowrun_` with the creation time (so ids sort by it) and 16 random characters. */
export function newFlowRunId(nowMs: number): string {
  const time = nowMs.toString(32).padStart(10, '0');
  const random = [...randomBytes(16)].map((byte) => RUN_ID_ALPHABET.charAt(byte % 32)).join('');
  return `flowrun_${time}${random}`;
}
