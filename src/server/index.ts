export { createServerApp, SERVER_VERSION, type ServerAppDependencies } from './create-server-app.js';
export { startServer, type StartServerOptions, type RunningServer } from './start-server.js';
export { ApiError, type ApiErrorBody, type ApiErrorType } from '../http/index.js';
export { generationBodySchema, type GenerationBody, type GenerationSubmission } from './request-body.js';
export { taskView, type TaskView } from './task-view.js';
export { deprecationHeaders } from './deprecation-headers.js';
export type { ServerEnv } from './openapi-router.js';
export { createServerLogger, logLevels, type LogLevel } from './server-logger.js';
export { storeReferences, type ReferenceOptions } from './reference-media.js';
