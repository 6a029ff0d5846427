import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, webhookSecretKey } from './sign-webhook.js';

describe('signWebhook', () => {
  it('produces signatures the Standard Webhooks reference library accepts', () => {
    const secret = generateWebhookSecret();
    const timestampSeconds = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({ type: 'task.succeeded', data: { id: 'task_img_1' } });
    const headers = {
      'webhook-id': 'msg_abc',
      'webhook-timestamp': String(timestampSeconds),
      'webhook-signature': signWebhook({ secret, messageId: 'msg_abc', timestampSeconds, payload }),
    };
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(secret).verify(`${payload} `, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it('matches the reference signer byte for byte', () => {
    const secret = generateWebhookSecret();
    const reference = new Webhook(secret).sign('msg_1', new Date(1_700_000_000_000), '{"a":1}');
    expect(
      signWebhook({ secret, messageId: 'msg_1', timestampSeconds: 1_700_000_000, payload: '{"a":1}' }),
    ).toBe(reference);
  });

  it('matches the example of the Standard Webhooks specification', () => {
    // From the specification's "Verifying" section: secret, id, timestamp, body and expected signature.
    const signature = signWebhook({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestampSeconds: 1614265330,
      payload: '{"test": 2432232314}',
    });
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('refuses a secret that is not whsec_ and enough base64', () => {
    expect(() => webhookSecretKey('whsec_c2hvcnQ=')).toThrow('at least 24 bytes');
    expect(() => webhookSecretKey('whsec_!!!')).toThrow('no valid base64');
    expect(generateWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});
