import type { Clock } from '../../clock/index.js';
import { safeFetch, SsrfRefusedError } from '../../net/index.js';
import type { GuardReport } from './guard-report.js';

/** A Slack-compatible incoming-webhook body; other chat tools accept the same `text`. */
export interface SlackPayload {
  text: string;
  blocks?: Array<Record<string, unknown>>;
}

const levelIcon = { error: ':red_circle:', warning: ':warning:', ok: ':white_check_mark:' } as const;

/** The report as a chat message: a one-line summary, then one section per finding that needs action. */
export function guardSlackPayload(report: GuardReport): SlackPayload {
  const actionable = report.findings.filter((finding) => finding.level !== 'ok');
  const summary =
    actionable.length === 0
      ? `imagegate guard ${report.at.slice(0, 10)}: all ${report.findings.length} models OK`
      : `imagegate guard ${report.at.slice(0, 10)}: ${actionable.filter((f) => f.level === 'error').length} errors, ${actionable.filter((f) => f.level === 'warning').length} warnings`;
  const blocks: Array<Record<string, unknown>> = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${summary}*` } },
  ];
  for (const finding of actionable) {
    const lines = [
      `${levelIcon[finding.level]} *${finding.model}* on ${finding.platform}: ${finding.message}`,
      `used by ${finding.usedBy.join(', ')}`,
      ...(finding.regressCommand ? [`\`${finding.regressCommand}\``] : []),
    ];
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  }
  const text = [
    summary,
    ...actionable.map((finding) => `- ${finding.model} on ${finding.platform}: ${finding.message}`),
  ].join('\n');
  return { text, blocks };
}

/** Sends a JSON body and returns the status; tests and the CLI can swap the transport. */
export type PostJson = (url: string, body: string) => Promise<{ status: number; retryAfterSeconds?: number }>;

export interface SendNotificationOptions {
  url: string;
  payload: SlackPayload;
  clock: Clock;
  /** Tries in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First wait between tries; doubled each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** Longest single wait. Default 30000 ms. */
  maxDelayMs?: number;
  /** Let the webhook live on a private or loopback address (a local receiver). Default false. */
  allowPrivateNetwork?: boolean;
  /** Default: the SSRF-safe fetch from src/net. */
  post?: PostJson;
}

export interface NotificationResult {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, if any answer came. */
  status?: number;
  /** Why it was not delivered. */
  error?: string;
}

/**
 * Posts the payload, retrying network errors, 408, 429 and 5xx with doubling waits on the injected
 * clock (a Retry-After header wins when longer). Other 4xx answers and refused addresses are final.
 */
export async function sendGuardNotification(options: SendNotificationOptions): Promise<NotificationResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const post = options.post ?? safePost(options.allowPrivateNetwork ?? false);
  const body = JSON.stringify(options.payload);
  let last: NotificationResult = { delivered: false, attempts: 0 };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let retryAfterMs = 0;
    try {
      const response = await post(options.url, body);
      if (response.status >= 200 && response.status < 300) {
        return { delivered: true, attempts: attempt, status: response.status };
      }
      last = {
        delivered: false,
        attempts: attempt,
        status: response.status,
        error: `the webhook answered HTTP ${response.status}`,
      };
      if (!isRetryableStatus(response.status)) return last;
      retryAfterMs = (response.retryAfterSeconds ?? 0) * 1000;
    } catch (error) {
      last = { delivered: false, attempts: attempt, error: (error as Error).message };
      if (error instanceof SsrfRefusedError) return last;
    }
    if (attempt < maxAttempts) {
      await options.clock.sleep(
        Math.max(retryAfterMs, Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))),
      );
    }
  }
  return last;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function safePost(allowPrivateNetworks: boolean): PostJson {
  return async (url, body) => {
    const response = await safeFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      allowPrivateNetworks,
      maxBytes: 64 * 1024,
    });
    const retryAfter = Number(response.headers.get('retry-after'));
    return { status: response.status, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
  };
}
