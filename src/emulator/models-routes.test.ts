import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, knownValue } from '../catalog/index.js';
import { modelResource, modelVersionOf, vertexModelResource } from './models-routes.js';

const pro = findModel(builtInCatalog(), 'gemini-3-pro-image-preview')!;
const flash = findModel(builtInCatalog(), 'gemini-2.5-flash-image')!;

describe('modelResource', () => {
  it('builds the Gemini API Model from catalog fields', () => {
    expect(modelResource('nano-banana-pro-preview', pro)).toEqual({
      name: 'models/nano-banana-pro-preview',
      version: '3.0',
      displayName: pro.displayName,
      description: pro.description,
      inputTokenLimit: knownValue(pro.capabilities.inputTokenLimit),
      outputTokenLimit: knownValue(pro.capabilities.outputTokenLimit),
      supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
      temperature: 1,
      topP: 0.95,
      topK: 64,
      maxTemperature: 1,
      thinking: true,
    });
  });

  it('leaves thinking out for a model that does not think', () => {
    expect(modelResource(flash.id, flash)).not.toHaveProperty('thinking');
  });

  it('builds Vertex AI’s PublisherModel', () => {
    expect(vertexModelResource(flash.id, flash)).toMatchObject({
      name: 'publishers/google/models/gemini-2.5-flash-image',
      versionId: modelVersionOf(flash),
      launchStage: 'GA',
    });
  });
});
