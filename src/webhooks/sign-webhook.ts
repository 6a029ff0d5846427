import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export interface SignWebhookInput {
  /** `whsec_` followed by the base64 key, as Standard Webhooks libraries expect it. */
  secret: string;
  /** The `webhook-id` header: the same on every retry of one message. */
  messageId: string;
  /** The `webhook-timestamp` header: seconds since the epoch, fresh on every attempt. */
  timestampSeconds: number;
  /** The exact request body. */
  payload: string;
}

/**
 * The `webhook-signature` header value under the Standard Webhooks scheme: HMAC-SHA256 with the
 * base64-decoded secret over `<id>.<timestamp>.<body>`, as `v1,<base64 signature>`.
 */
export function signWebhook(input: SignWebhookInput): string {
  const key = webhookSecretKey(input.secret);
  const signed = `${input.messageId}.${input.timestampSeconds}.${input.payload}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The key bytes of a secret; refuses anything that is not `whsec_<base64>` of at least 24 bytes. */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.byteLength < 24) {
    throw new RangeError(
      `The webhook secret must be "whsec_" followed by at least 24 bytes in base64 (generate one with generateWebhookSecret()); got ${key.byteLength === 0 ? 'no valid base64' : `${key.byteLength} bytes`}.`,
    );
  }
  return key;
}
