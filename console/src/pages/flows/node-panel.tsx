import { modelChoices, useModels } from '../../api/use-models.js';
import { modelLifecycle, type FlowNodeDocument } from '../../api/flows.js';
import { LifecycleBadge } from '../../components/lifecycle-badge.js';

type FieldKind = 'model' | 'text' | 'long' | 'number' | 'count';
const fieldsByType: Record<string, Array<{ field: string; kind: FieldKind; label: string }>> = {
  text: [
    { field: 'model', kind: 'model', label: 'Model' },
    { field: 'system', kind: 'long', label: 'System instruction' },
    { field: 'prompt', kind: 'long', label: 'Prompt' },
    { field: 'temperature', kind: 'number', label: 'Temperature' },
  ],
  template: [{ field: 'template', kind: 'long', label: 'Template' }],
  image: [
    { field: 'model', kind: 'model', label: 'Model' },
    { field: 'prompt', kind: 'long', label: 'Prompt' },
    { field: 'variants', kind: 'count', label: 'Variants (1–8 or {{inputs.N}})' },
    { field: 'aspectRatio', kind: 'text', label: 'Aspect ratio' },
    { field: 'imageSize', kind: 'text', label: 'Image size' },
    { field: 'format', kind: 'text', label: 'Format (png, jpeg)' },
    { field: 'seed', kind: 'number', label: 'Seed' },
  ],
};

/** A problem the server named, by its field path from the document root (`nodes.hero.variants`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The selected node's fields, edited in place. Every problem the server names (checked as the user
 * types, or from the last save) is shown under its field; problems of fields without a control here
 * (references, the node as a whole) at the top.
 */
export function NodePanel({
  id,
  node,
  problems,
  onChange,
  onRemove,
}: {
  id: string;
  node: FlowNodeDocument;
  problems: FieldProblem[];
  onChange: (field: string, value: unknown) => void;
  onRemove: () => void;
}) {
  const models = useModels();
  const choices = modelChoices(models.data);
  const fields = fieldsByType[node.type] ?? [];
  const results = node.results;
  const within = (path: string) => (problem: FieldProblem) =>
    problem.field === path || problem.field.startsWith(`${path}.`);
  const mine = problems.filter(within(`nodes.${id}`));
  const shown = new Set([
    ...fields.map(({ field }) => field),
    ...(node.type === 'output' ? ['results'] : []),
  ]);
  const elsewhere = mine.filter(
    (problem) => !shown.has(problem.field.split('.')[2] ?? '') || problem.field === `nodes.${id}`,
  );
  const errorFor = (field: string) => {
    const messages = mine.filter(within(`nodes.${id}.${field}`)).map((problem) => problem.message);
    return messages.length > 0 ? messages.join('; ') : null;
  };
  const fieldId = (field: string) => `node-${id}-${field}`;
  const text = (value: unknown) =>
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

  return (
    <div className="stack" data-panel-node={id}>
      <h2>
        {id} <span className="muted">{node.type}</span>
      </h2>
      {elsewhere.length > 0 && (
        <ul className="error node-problems">
          {elsewhere.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>
              {problem.field === `nodes.${id}` ? '' : `${problem.field.split('.').slice(2).join('.')}: `}
              {problem.message}
            </li>
          ))}
        </ul>
      )}
      {Array.isArray(node.references) && node.references.length > 0 && (
        <div className="field">
          <span className="label">References (connected image ports)</span>
          <ul className="references">
            {(node.references as unknown[]).map((reference, index) => (
              <li key={index}>
                <code>{text(reference)}</code>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    onChange(
                      'references',
                      (node.references as unknown[]).filter((_, position) => position !== index),
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {fields.map(({ field, kind, label }) => {
        const error = errorFor(field);
        const describedBy = error ? `${fieldId(field)}-error` : undefined;
        const value = node[field];
        let control;
        if (kind === 'model') {
          const current = text(value);
          const lifecycle = modelLifecycle(models.data, current);
          control = (
            <>
              <select
                id={fieldId(field)}
                value={current}
                aria-describedby={describedBy}
                onChange={(event) => onChange(field, event.target.value)}
              >
                {!choices.some((choice) => choice.id === current) && (
                  <option value={current}>{current}</option>
                )}
                <optgroup label="Logical names">
                  {choices
                    .filter((choice) => choice.kind === 'logical')
                    .map((choice) => (
                      <option key={choice.id} value={choice.id}>
                        {choice.id}
                      </option>
                    ))}
                </optgroup>
                <optgroup label="Models">
                  {choices
                    .filter((choice) => choice.kind === 'model')
                    .map((choice) => (
                      <option key={choice.id} value={choice.id}>
                        {choice.id}
                        {choice.daysToShutdown !== null && choice.daysToShutdown > 0
                          ? ` (${choice.daysToShutdown} days left)`
                          : ''}
                      </option>
                    ))}
                </optgroup>
              </select>
              {lifecycle && (
                <div>
                  {lifecycle.known ? (
                    <LifecycleBadge stage={lifecycle.stage} daysToShutdown={lifecycle.daysToShutdown} />
                  ) : (
                    <span className="badge error">unknown model</span>
                  )}
                </div>
              )}
            </>
          );
        } else if (kind === 'long') {
          control = (
            <textarea
              id={fieldId(field)}
              rows={4}
              value={text(value)}
              aria-describedby={describedBy}
              onChange={(event) =>
                onChange(field, event.target.value === '' ? undefined : event.target.value)
              }
            />
          );
        } else {
          control = (
            <input
              id={fieldId(field)}
              value={text(value)}
              aria-describedby={describedBy}
              inputMode={kind === 'text' ? undefined : 'decimal'}
              onChange={(event) => {
                const raw = event.target.value;
                if (raw === '') return onChange(field, undefined);
                const numeric = kind !== 'text' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
                onChange(field, numeric);
              }}
            />
          );
        }
        return (
          <div className={error ? 'field has-error' : 'field'} key={field}>
            <label htmlFor={fieldId(field)}>{label}</label>
            {control}
            {error && (
              <p className="error" id={`${fieldId(field)}-error`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      {node.type === 'output' && isRecord(results) && (
        <fieldset className={errorFor('results') ? 'has-error' : undefined}>
          <legend>Results</legend>
          {Object.keys(results).length === 0 && (
            <p className="muted">Connect a port to this node&apos;s results to add one.</p>
          )}
          {errorFor('results') && (
            <p className="error" id={`${fieldId('results')}-error`}>
              {errorFor('results')}
            </p>
          )}
          {Object.entries(results).map(([name, reference]) => (
            <div className="field" key={name}>
              <label htmlFor={fieldId(`results-${name}`)}>{name}</label>
              <input
                id={fieldId(`results-${name}`)}
                value={text(reference)}
                onChange={(event) =>
                  onChange('results', {
                    ...results,
                    [name]: event.target.value,
                  })
                }
              />
            </div>
          ))}
        </fieldset>
      )}
      <div className="row">
        <button type="button" className="danger" onClick={onRemove}>
          Remove node {id}
        </button>
      </div>
    </div>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
