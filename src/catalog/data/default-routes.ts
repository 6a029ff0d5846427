import type { Platform } from '../schema.js';

/**
 * The logical routes every installation gets without a config file, kept beside the model facts because
 * they name models: the docs' recommended default (3.1 Flash Image) and the Pro model, each falling back
 * to the other. When a model here is retired, this file changes with the catalog. A config file replaces
 * a built-in route by defining one with the same name.
 */
export const defaultRoutes: Record<
  string,
  { description: string; candidates: Array<{ model: string; platform: Platform }> }
> = {
  image_fast: {
    description: 'Fast, inexpensive images; falls back to the Pro model.',
    candidates: [
      { model: 'gemini-3.1-flash-image', platform: 'gemini-api' },
      { model: 'gemini-3-pro-image', platform: 'gemini-api' },
    ],
  },
  image_quality: {
    description: 'Highest quality images; falls back to the Flash model.',
    candidates: [
      { model: 'gemini-3-pro-image', platform: 'gemini-api' },
      { model: 'gemini-3.1-flash-image', platform: 'gemini-api' },
    ],
  },
  text_fast: {
    // Both have no announced Gemini API shutdown: a built-in fallback that retires would make every
    // installation's default config invalid on that day.
    description: 'Fast text for flow text nodes (prompt drafting); falls back to Gemini 2.5 Flash.',
    candidates: [
      { model: 'gemini-3.5-flash-lite', platform: 'gemini-api' },
      { model: 'gemini-2.5-flash', platform: 'gemini-api' },
    ],
  },
};
