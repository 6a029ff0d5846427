import { bareModelId } from '../../catalog/index.js';
import type { Platform } from '../../catalog/index.js';
import { generationMethods, type CallContext, type EmulatedMethod } from './call-context.js';
import { compilePattern } from './regex-pattern.js';

/** The part of every scenario rule that says which calls it applies to. */
export interface RuleTarget {
  model: string;
  platform?: Platform;
  methods?: '*' | EmulatedMethod[];
  pattern?: string;
  apiKey?: string;
}

/**
 * Whether a model selector (an ID, `*`, or a glob such as `gemini-3*`) names a model. `*` also matches
 * calls without a model (files, batches); any other selector needs one.
 */
export function modelMatches(selector: string, modelId: string | undefined): boolean {
  if (selector === '*') return true;
  if (modelId === undefined) return false;
  const wanted = bareModelId(selector);
  const actual = bareModelId(modelId);
  if (!wanted.includes('*')) return wanted === actual;
  const glob = wanted.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${glob.join('.*')}$`).test(actual);
}

/** Compiles a rule's target once (its pattern included) into a predicate over calls. */
export function compileTarget(target: RuleTarget): (call: CallContext) => boolean {
  const pattern = target.pattern === undefined ? undefined : compilePattern(target.pattern);
  const methods = target.methods === '*' ? undefined : (target.methods ?? generationMethods);
  return (call) =>
    modelMatches(target.model, call.modelId) &&
    (target.platform === undefined || target.platform === call.platform) &&
    (methods === undefined || methods.includes(call.method)) &&
    (target.apiKey === undefined || target.apiKey === call.apiKey) &&
    (pattern === undefined || (call.prompt !== undefined && pattern.test(call.prompt)));
}
