import { useState, type FormEvent } from 'react';
import { portLabel, sourcePorts, targetPortsByType, type PortConnection } from '../../api/flow-ports.js';
import { triggerId, type FlowDocumentJson } from '../../api/flows.js';

/**
 * Connecting without a mouse: pick one of the selected node's input ports and a port another node
 * offers. It goes through the same `onConnect` as a drag on the canvas, so the server's validator
 * decides, and a refusal is explained the same way.
 */
export function ConnectForm({
  document,
  target,
  onConnect,
}: {
  document: FlowDocumentJson;
  target: string;
  onConnect: (connection: PortConnection) => void;
}) {
  const node = document.nodes[target];
  const targetPorts = node ? targetPortsByType[node.type] : [];
  const sources = [triggerId, ...Object.keys(document.nodes)]
    .filter((id) => id !== target)
    .flatMap((id) => sourcePorts(document, id).map((port) => ({ id, port })));
  const [targetPort, setTargetPort] = useState(targetPorts[0] ?? '');
  const [source, setSource] = useState('');
  if (targetPorts.length === 0 || sources.length === 0) return null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = sources.find((entry) => portLabel(entry.id, entry.port) === source);
    if (chosen && targetPorts.includes(targetPort))
      onConnect({ source: chosen.id, sourcePort: chosen.port, target, targetPort });
  };
  return (
    <form className="stack connect-form" onSubmit={onSubmit} aria-label={`Connect a port to ${target}`}>
      <h3>Connect a port</h3>
      <div className="field">
        <label htmlFor={`connect-${target}-from`}>From</label>
        <select
          id={`connect-${target}-from`}
          value={source}
          onChange={(event) => setSource(event.target.value)}
        >
          <option value="">—</option>
          {sources.map((entry) => (
            <option key={portLabel(entry.id, entry.port)} value={portLabel(entry.id, entry.port)}>
              {portLabel(entry.id, entry.port)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`connect-${target}-to`}>Into</label>
        <select
          id={`connect-${target}-to`}
          value={targetPort}
          onChange={(event) => setTargetPort(event.target.value)}
        >
          {targetPorts.map((port) => (
            <option key={port} value={port}>
              {portLabel(target, port)}
            </option>
          ))}
        </select>
      </div>
      <div className="row">
        <button type="submit" className="secondary" disabled={!source}>
          Connect
        </button>
      </div>
    </form>
  );
}
