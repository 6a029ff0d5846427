import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { HitKind } from './classify-model-id.js';
import type { AuditReport } from './run-audit.js';

const ruleFor: Record<HitKind, ReportingDescriptor> = {
  retired: {
    id: 'imagegate/retired-model',
    name: 'RetiredModel',
    shortDescription: { text: 'A model ID that is past its shutdown date' },
    fullDescription: { text: 'Calls to this model answer 404 NOT_FOUND. Move to its successor.' },
    defaultConfiguration: { level: 'error' },
  },
  preview: {
    id: 'imagegate/preview-model',
    name: 'PreviewModel',
    shortDescription: { text: 'A preview or experimental model ID' },
    fullDescription: {
      text: 'Previews are shut down on an announced date (an error here) or at short notice. Move to the GA successor.',
    },
    defaultConfiguration: { level: 'warning' },
  },
  ga: {
    id: 'imagegate/hard-coded-model',
    name: 'HardCodedModel',
    shortDescription: { text: 'A hard-coded GA model ID' },
    fullDescription: {
      text: 'Works today; a logical name from imagegate.config.yaml keeps the choice in one place.',
    },
    defaultConfiguration: { level: 'note' },
  },
  'stage-unknown': {
    id: 'imagegate/unconfirmed-model',
    name: 'UnconfirmedModel',
    shortDescription: { text: 'A model ID whose stage no source confirms' },
    defaultConfiguration: { level: 'warning' },
  },
  unknown: {
    id: 'imagegate/unknown-model',
    name: 'UnknownModel',
    shortDescription: { text: 'Shaped like a Gemini model ID but not in the catalog' },
    defaultConfiguration: { level: 'warning' },
  },
};

const ruleOrder: HitKind[] = ['retired', 'preview', 'ga', 'stage-unknown', 'unknown'];

/**
 * The report as a SARIF 2.1.0 log for code scanning. Paths are relative to %SRCROOT%; hits in the
 * project's own config file are carried as externally suppressed results.
 */
export function auditSarif(report: AuditReport, toolVersion: string): Log {
  const results: Result[] = report.findings.map((finding) => ({
    ruleId: ruleFor[finding.kind].id,
    ruleIndex: ruleOrder.indexOf(finding.kind),
    level: finding.level,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(finding.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, startColumn: finding.column, endColumn: finding.endColumn },
        },
      },
    ],
    partialFingerprints: { modelId: finding.id },
    properties: {
      modelId: finding.id,
      kind: finding.kind,
      stage: finding.stage,
      shutdownDate: finding.shutdownDate,
      useInstead: finding.useInstead,
    },
    ...(finding.allowed
      ? { suppressions: [{ kind: 'external' as const, justification: "the project's own imagegate config" }] }
      : {}),
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'imagegate audit',
            version: toolVersion,
            informationUri: 'https://github.com/imagegate/imagegate/blob/main/docs/audit.md',
            rules: ruleOrder.map((kind) => ruleFor[kind]),
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.at }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
