export { buildGuardReport } from './guard-report.js';
export type { GuardFinding, GuardReport, GuardLevel, GuardInput } from './guard-report.js';
export { renderGuardText } from './guard-text.js';
export { guardSlackPayload, sendGuardNotification } from './guard-notification.js';
export type {
  SlackPayload,
  PostJson,
  SendNotificationOptions,
  NotificationResult,
} from './guard-notification.js';
