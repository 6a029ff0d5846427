import type { Platform } from '../catalog/index.js';

/**
 * The routes every installation gets without a config file. This is configuration data, not logic, so
 * it is the one place outside the catalog allowed to name model IDs: the two GA models the defaults
 * point at. A config file replaces a built-in route by defining one with the same name.
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
};
