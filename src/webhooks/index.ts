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
  type WebhookDispatcherSettings,
} from './webhook-dispatcher.js';
export {
  SqliteWebhookDeliveries,
  type DeliveryOwner,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookDeliveryStore,
} from './webhook-delivery-store.js';
export { PostgresWebhookDeliveries } from './postgres-webhook-deliveries.js';
export { createWebhookRoutes, webhookDeliveryView } from './webhook-routes.js';
