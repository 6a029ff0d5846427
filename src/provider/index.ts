export { GeminiProvider, type GeminiProviderOptions } from './gemini-provider.js';
export type { ImageProvider, ProviderCall } from './image-provider.js';
