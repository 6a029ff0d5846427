export {
  signWebhook,
  generateWebhookSecret,
  WEBHOOK_SECRET_PREFIX,
  type SignWebhookInput,
} from './sign-webhook.js';
export {
  WebhookDispatcher,
  DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS,
  WEBHOOK_ATTEMPT_TIMEOUT_MS,
  type WebhookDispatcherOptions,
} from './webhook-dispatcher.js';
export type { DeliveryOwner, WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery-store.js';
export { createWebhookRoutes, webhookDeliveryView } from './webhook-routes.js';
