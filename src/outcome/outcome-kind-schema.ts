import { z } from 'zod';
import { outcomeKinds } from '../errors/index.js';

/** The outcome kinds (src/errors) as a schema, for stored attempts and config fields that name one. */
export const outcomeKindSchema = z.enum(outcomeKinds);
