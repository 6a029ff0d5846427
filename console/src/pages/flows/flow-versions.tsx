import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/api-client.js';
import { flowPath, useFlowVersions, type Flow, type FlowChange, type FlowVersion } from '../../api/flows.js';
import { formatTime } from '../../components/format.js';

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

/** The flow's versions, a diff of any two, and rollback (a new version equal to an older one). */
export function FlowVersions({ flow }: { flow: Flow }) {
  const queryClient = useQueryClient();
  const versions = useFlowVersions(flow.name);
  const list = versions.data?.data ?? [];
  const newest = list[0]?.version ?? null;
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const fromVersion = from ?? list[1]?.version ?? newest;
  const toVersion = to ?? newest;
  const diff = useQuery({
    queryKey: ['flows', flow.name, 'diff', fromVersion, toVersion],
    enabled: fromVersion !== null && toVersion !== null,
    queryFn: () =>
      api<{ changes: FlowChange[]; text: string }>(
        `${flowPath(flow.name)}/diff?from=${fromVersion}&to=${toVersion}`,
      ),
  });
  const [confirming, setConfirming] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rollback = useMutation({
    mutationFn: (target: number) =>
      api<FlowVersion>(`${flowPath(flow.name)}/rollback`, {
        body: { to: target, message: `Roll back to v${target} from the console` },
      }),
    onSuccess: (version) => {
      setConfirming(null);
      setNotice(`Rolled back: version ${version.version} equals version ${version.rollback_of ?? '?'}.`);
      void queryClient.invalidateQueries({ queryKey: ['flows'] });
    },
  });

  if (versions.isError)
    return (
      <p role="alert" className="error">
        {versions.error.message}
      </p>
    );
  if (!versions.data) return <p role="status">Loading…</p>;
  if (list.length === 0) return <p>No published versions yet: publish the draft from the editor.</p>;
  return (
    <div className="stack">
      <div aria-live="polite">{notice && <p className="hint">{notice}</p>}</div>
      {rollback.isError && (
        <p role="alert" className="error">
          {rollback.error.message}
        </p>
      )}
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">sha256</th>
                <th scope="col">Message</th>
                <th scope="col">Published by</th>
                <th scope="col">Published</th>
                <th scope="col">
                  <span className="visually-hidden">Rollback</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((version) => (
                <tr key={version.version} data-version={version.version}>
                  <td>
                    v{version.version}
                    {version.rollback_of !== null && (
                      <span className="muted"> (= v{version.rollback_of})</span>
                    )}
                  </td>
                  <td>
                    <code title={version.sha256}>{version.sha256.slice(0, 12)}</code>
                  </td>
                  <td>{version.message}</td>
                  <td>{version.published_by ?? '—'}</td>
                  <td className="nowrap">{formatTime(version.published_at)}</td>
                  <td className="nowrap">
                    {version.version === newest ? (
                      <span className="muted">current</span>
                    ) : confirming === version.version ? (
                      <span role="group" aria-label={`Confirm rollback to v${version.version}`}>
                        Publish a copy of v{version.version}?{' '}
                        <button
                          type="button"
                          onClick={() => rollback.mutate(version.version)}
                          disabled={rollback.isPending}
                        >
                          Confirm rollback
                        </button>{' '}
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          Keep v{newest}
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => setConfirming(version.version)}
                      >
                        Roll back to v{version.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="diff-heading">
        <h2 id="diff-heading">Diff</h2>
        <div className="row">
          <div className="field">
            <label htmlFor="diff-from">From</label>
            <select
              id="diff-from"
              value={fromVersion ?? ''}
              onChange={(event) => setFrom(Number(event.target.value))}
            >
              {list.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="diff-to">To</label>
            <select
              id="diff-to"
              value={toVersion ?? ''}
              onChange={(event) => setTo(Number(event.target.value))}
            >
              {list.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </div>
        </div>
        {diff.isError && (
          <p role="alert" className="error">
            {diff.error.message}
          </p>
        )}
        {diff.data && diff.data.changes.length === 0 && (
          <p>
            v{fromVersion} and v{toVersion} have the same content.
          </p>
        )}
        {diff.data && diff.data.changes.length > 0 && (
          <table className="diff">
            <caption className="visually-hidden">
              Changes from v{fromVersion} to v{toVersion}
            </caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Node</th>
                <th scope="col">Field</th>
                <th scope="col">v{fromVersion}</th>
                <th scope="col">v{toVersion}</th>
              </tr>
            </thead>
            <tbody>
              {diff.data.changes.map((change) => (
                <tr
                  key={`${change.change}:${change.field}`}
                  className={`diff-${change.change}`}
                  data-field={change.field}
                >
                  <td>
                    <span className={`badge diff-${change.change}`}>{change.change}</span>
                  </td>
                  <td>{change.node ?? '—'}</td>
                  <td>
                    <code>{change.field}</code>
                  </td>
                  <td className="diff-before">
                    <code>{show(change.before)}</code>
                  </td>
                  <td className="diff-after">
                    <code>{show(change.after)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
