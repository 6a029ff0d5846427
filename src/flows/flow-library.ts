import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { ImagegateConfig } from '../config/index.js';
import { flowContentHash } from './canonical-json.js';
import { diffFlowDocuments, type FlowChange } from './diff-flow-documents.js';
import { FlowNotFoundError, mayAccess, type FlowAccess } from './flow-access.js';
import { patchFlowSource } from './flow-source.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowModelNames } from './flow-models.js';
import { InvalidFlowError, type FlowProblem } from './flow-problem.js';
import { lifecycleProblems } from './publish-checks.js';
import type { FlowStore, FlowVersion, StoredFlow } from './flow-store.js';
import { validateFlowObject, type FlowValidation } from './validate-flow-document.js';

export interface FlowLibraryOptions {
  store: FlowStore;
  config: ImagegateConfig;
  catalog: Catalog;
  clock: Clock;
  models: FlowModelNames;
}

/**
 * Drafts and versions: a mutable draft per flow; publish makes an immutable, numbered version with the
 * sha256 of its canonical content; rollback makes a new version equal to an old one (history is never
 * rewritten). Lifecycle is judged at publish on the injected clock.
 */
export class FlowLibrary {
  constructor(private readonly options: FlowLibraryOptions) {}

  /**
   * The checks `saveDraft` makes, without storing anything: the editor asks while the user types, so it
   * shows exactly what saving would refuse. A name owned by another key reads as taken.
   */
  async validate(input: unknown, access: FlowAccess): Promise<FlowValidation> {
    const validation = validateFlowObject(input, { file: 'draft', models: this.options.models });
    if (!validation.ok) return validation;
    const existing = await this.options.store.getFlow(validation.document.name);
    if (existing && !mayAccess(access, existing.ownerKeyId)) {
      // Saying the flow belongs to someone else would reveal it exists, so it reads as taken.
      return {
        ok: false,
        problems: [
          {
            file: 'draft',
            field: 'name',
            severity: 'error',
            message: `the name "${existing.name}" is taken`,
          },
        ],
      };
    }
    return validation;
  }

  /**
   * Validates and stores a draft; creating a flow makes the caller its owner. With `source` (a pushed
   * file's text, `input` parsed from it) the text is kept with the draft; without, a draft that has a
   * source gets it patched with what `input` changed (see `patchFlowSource`), so `flow pull` gives back
   * the author's file with only the edit in it.
   */
  async saveDraft(
    input: unknown,
    access: FlowAccess,
    options: { source?: string } = {},
  ): Promise<{ flow: StoredFlow; warnings: FlowProblem[] }> {
    const validation = await this.validate(input, access);
    if (!validation.ok) throw new InvalidFlowError(validation.problems);
    const { document } = validation;
    let source = options.source;
    if (source === undefined) {
      // validate() refused a flow the caller may not touch, so an existing one here is the caller's.
      const previous = (await this.options.store.getFlow(document.name))?.draftSource;
      if (previous !== undefined) source = patchFlowSource(previous, input, document);
    }
    return {
      flow: await this.options.store.saveDraft(document, access.keyId, source),
      warnings: validation.warnings,
    };
  }

  async flow(name: string, access: FlowAccess): Promise<StoredFlow> {
    const flow = await this.options.store.getFlow(name);
    if (!flow || !mayAccess(access, flow.ownerKeyId)) throw new FlowNotFoundError('flow', name);
    return flow;
  }

  async flows(access: FlowAccess): Promise<StoredFlow[]> {
    return (await this.options.store.listFlows()).filter((flow) => mayAccess(access, flow.ownerKeyId));
  }

  /** Publishes the draft. Lifecycle errors refuse it (InvalidFlowError); warnings come back. */
  async publish(
    name: string,
    request: { message: string; allowPreview?: boolean },
    access: FlowAccess,
  ): Promise<{ version: FlowVersion; warnings: FlowProblem[] }> {
    const flow = await this.flow(name, access);
    const problems = this.lifecycle(flow.draft, request.allowPreview ?? false);
    if (problems.some((problem) => problem.severity === 'error')) throw new InvalidFlowError(problems);
    const version = await this.options.store.insertVersion({
      flowName: name,
      sha256: flowContentHash(flow.draft),
      document: flow.draft,
      ...(flow.draftSource !== undefined ? { source: flow.draftSource } : {}),
      message: request.message,
      ...(access.keyId !== undefined ? { publishedBy: access.keyId } : {}),
    });
    return { version, warnings: problems };
  }

  async versions(name: string, access: FlowAccess): Promise<FlowVersion[]> {
    await this.flow(name, access);
    return this.options.store.listVersions(name);
  }

  async version(name: string, version: number, access: FlowAccess): Promise<FlowVersion> {
    await this.flow(name, access);
    const found = await this.options.store.getVersion(name, version);
    if (!found) throw new FlowNotFoundError('version', `${name}@${version}`);
    return found;
  }

  /** The newest version, which a trigger runs unless told otherwise. */
  async latest(name: string, access: FlowAccess): Promise<FlowVersion> {
    const flow = await this.flow(name, access);
    if (flow.latestVersion === undefined) throw new FlowNotFoundError('version', `${name} (never published)`);
    return this.version(name, flow.latestVersion, access);
  }

  async diff(name: string, from: number, to: number, access: FlowAccess): Promise<FlowChange[]> {
    return diffFlowDocuments(
      (await this.version(name, from, access)).document,
      (await this.version(name, to, access)).document,
    );
  }

  /**
   * A new version whose content equals version `to`; the draft follows it. Lifecycle is judged again: a
   * version that was fine when published may pin a model retired since, and rolling back to it is refused.
   */
  async rollback(
    name: string,
    request: { to: number; message?: string; allowPreview?: boolean },
    access: FlowAccess,
  ): Promise<{ version: FlowVersion; warnings: FlowProblem[] }> {
    const target = await this.version(name, request.to, access);
    const problems = this.lifecycle(target.document, request.allowPreview ?? false);
    if (problems.some((problem) => problem.severity === 'error')) throw new InvalidFlowError(problems);
    const flow = await this.flow(name, access);
    await this.options.store.saveDraft(target.document, flow.ownerKeyId, target.source);
    const version = await this.options.store.insertVersion({
      flowName: name,
      sha256: target.sha256,
      document: target.document,
      ...(target.source !== undefined ? { source: target.source } : {}),
      message: request.message ?? `rollback to version ${request.to}`,
      ...(access.keyId !== undefined ? { publishedBy: access.keyId } : {}),
      rollbackOf: request.to,
    });
    return { version, warnings: problems };
  }

  lifecycle(document: FlowDocument, allowPreview: boolean, atMs = this.options.clock.nowMs()): FlowProblem[] {
    return lifecycleProblems(document, {
      config: this.options.config,
      catalog: this.options.catalog,
      atMs,
      allowPreview,
    });
  }
}
