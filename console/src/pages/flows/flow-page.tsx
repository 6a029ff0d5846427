import { Link, useParams, useSearchParams } from 'react-router';
import { useFlow } from '../../api/flows.js';
import { FlowEditor } from './flow-editor.js';
import { FlowRunPanel } from './flow-run-panel.js';
import { FlowVersions } from './flow-versions.js';
import './flows.css';

const tabs = [
  { id: 'editor', label: 'Editor' },
  { id: 'versions', label: 'Versions' },
  { id: 'run', label: 'Run' },
] as const;
type Tab = (typeof tabs)[number]['id'];

/** One flow: the canvas editor, its versions, and runs (`/flows/NAME?tab=…`). */
export default function FlowPage() {
  const { name = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const tab: Tab = tabs.find((entry) => entry.id === search.get('tab'))?.id ?? 'editor';
  const flow = useFlow(name);
  return (
    <>
      <p className="crumbs">
        <Link to="/flows">Flows</Link> /
      </p>
      <h1>{name}</h1>
      <nav aria-label="Flow" className="tabs">
        {tabs.map((entry) => (
          <button
            key={entry.id}
            type="button"
            className={entry.id === tab ? 'tab current' : 'tab'}
            aria-current={entry.id === tab ? 'page' : undefined}
            onClick={() => setSearch(entry.id === 'editor' ? {} : { tab: entry.id })}
          >
            {entry.label}
          </button>
        ))}
      </nav>
      {flow.isError && (
        <p role="alert" className="error">
          {flow.error.message}
        </p>
      )}
      {flow.isPending && <p role="status">Loading…</p>}
      {flow.data && tab === 'editor' && <FlowEditor flow={flow.data} />}
      {flow.data && tab === 'versions' && <FlowVersions flow={flow.data} />}
      {flow.data && tab === 'run' && <FlowRunPanel flow={flow.data} />}
    </>
  );
}
