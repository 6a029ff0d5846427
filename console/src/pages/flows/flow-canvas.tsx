import {
  applyNodeChanges,
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
  type ReactFlowInstance,
  useUpdateNodeInternals,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  paletteDragType,
  sourcePorts,
  targetPortOfField,
  targetPortsByType,
  paletteItemOf,
  type PaletteItem,
  type PortConnection,
} from '../../api/flow-ports.js';
import {
  flowPositions,
  flowWires,
  modelLifecycle,
  triggerId,
  type FlowDocumentJson,
  type NodeRunView,
} from '../../api/flows.js';
import { useModels } from '../../api/use-models.js';
import { LifecycleBadge } from '../../components/lifecycle-badge.js';

interface CanvasNodeData extends Record<string, unknown> {
  id: string;
  kind: string;
  model: string | null;
  stage: string | null;
  daysToShutdown: number | null;
  unknownModel: boolean;
  detail: string;
  run: NodeRunView | null;
  /** What the node's calls went through (attempts, retries, fallbacks), once known. */
  runNote: string | null;
  hasError: boolean;
  sourcePorts: readonly string[];
  targetPorts: readonly string[];
  /** Ports are drawn as handles that can be dragged (the editor) or only as wire ends (a run). */
  connectable: boolean;
}
type CanvasNode = Node<CanvasNodeData, 'flow'>;

function FlowNodeCard({ data, selected }: NodeProps<CanvasNode>) {
  // React Flow measures handles when a node resizes; ports renamed or added without a resize (an input
  // renamed) must be measured again, or a drag from them finds no handle.
  const updateNodeInternals = useUpdateNodeInternals();
  const ports = `${data.targetPorts.join(',')}|${data.sourcePorts.join(',')}`;
  useEffect(() => updateNodeInternals(data.id), [ports, data.id, updateNodeInternals]);
  const classes = ['flow-node', `flow-node-${data.kind}`];
  if (selected) classes.push('selected');
  if (data.hasError) classes.push('has-error');
  if (data.run) classes.push(`run-${data.run.status}`);
  return (
    <div className={classes.join(' ')} data-node={data.id}>
      <div className="flow-node-title">
        <strong>{data.id}</strong> <span className="muted">{data.kind}</span>
      </div>
      {data.model !== null && (
        <div className="flow-node-model">
          <code>{data.model}</code>{' '}
          {data.unknownModel ? (
            <span className="badge error">unknown model</span>
          ) : (
            <LifecycleBadge stage={data.stage} daysToShutdown={data.daysToShutdown} />
          )}
        </div>
      )}
      {data.detail && <div className="flow-node-detail">{data.detail}</div>}
      {data.run && (
        <div className="flow-node-run" data-status={data.run.status}>
          <span className={`badge ${data.run.status}`}>{data.run.cached ? 'cached' : data.run.status}</span>
          {data.run.task_ids.length > 0 && (
            <span className="muted">
              {' '}
              {data.run.task_ids.length} task{data.run.task_ids.length === 1 ? '' : 's'}
            </span>
          )}
          {data.runNote && <div className="flow-node-attempts">{data.runNote}</div>}
          {data.run.error && <div className="error">{data.run.error.message}</div>}
        </div>
      )}
      {(data.targetPorts.length > 0 || data.sourcePorts.length > 0) && (
        <div className="flow-ports">
          <ul className="flow-ports-in" aria-label={`${data.id} takes`}>
            {data.targetPorts.map((port) => (
              <li key={port} className="flow-port" data-port={`${data.id}.${port}`}>
                <Handle
                  type="target"
                  id={port}
                  position={Position.Left}
                  isConnectable={data.connectable}
                  title={`${data.id}.${port}`}
                />
                {port}
              </li>
            ))}
          </ul>
          <ul className="flow-ports-out" aria-label={`${data.id} offers`}>
            {data.sourcePorts.map((port) => (
              <li key={port} className="flow-port" data-port={`${data.id}.${port}`}>
                {port}
                <Handle
                  type="source"
                  id={port}
                  position={Position.Right}
                  isConnectable={data.connectable}
                  title={`${data.id}.${port}`}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const nodeTypes = { flow: FlowNodeCard };

function detailOf(document: FlowDocumentJson, id: string): string {
  if (id === triggerId) return Object.keys(document.inputs ?? {}).join(', ') || 'no inputs';
  const node = document.nodes[id];
  if (!node) return '';
  if (node.type === 'image') {
    const variants = node.variants === undefined ? 1 : node.variants;
    return `${String(variants)} variant(s)${node.aspectRatio ? `, ${String(node.aspectRatio)}` : ''}`;
  }
  if (node.type === 'output' && node.results && typeof node.results === 'object')
    return Object.keys(node.results).join(', ');
  return '';
}

/**
 * The flow on a canvas: the trigger (its inputs) and every node, wired by the references in their fields.
 * Dragging a node reports its new position through `onMove` (the document's layout section).
 */
export function FlowCanvas({
  document,
  selected,
  onSelect,
  onMove,
  runNodes,
  runNotes,
  errorNodes,
  onConnect,
  onPlace,
  label,
}: {
  document: FlowDocumentJson;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onMove?: (id: string, position: { x: number; y: number }) => void;
  runNodes?: NodeRunView[];
  /** A line per node under its run state (the run view's attempts, retries and fallbacks). */
  runNotes?: Record<string, string>;
  /** Nodes the server named in an error (live validation or the last save). */
  errorNodes?: ReadonlySet<string>;
  /** Ports dragged together (the editor decides whether the connection is allowed). */
  onConnect?: (connection: PortConnection) => void;
  /** A palette item dropped on the canvas, at a canvas position. */
  onPlace?: (item: PaletteItem, position: { x: number; y: number }) => void;
  label: string;
}) {
  const [instance, setInstance] = useState<ReactFlowInstance<CanvasNode> | null>(null);
  const models = useModels();
  const built = useMemo<CanvasNode[]>(() => {
    const positions = flowPositions(document);
    const ids = [triggerId, ...Object.keys(document.nodes)];
    return ids.map((id) => {
      const node = document.nodes[id];
      const model = typeof node?.model === 'string' ? node.model : null;
      const lifecycle = modelLifecycle(models.data, model);
      return {
        id,
        type: 'flow',
        position: positions[id] ?? { x: 0, y: 0 },
        selected: id === selected,
        draggable: onMove !== undefined,
        data: {
          id,
          kind: id === triggerId ? 'trigger' : (node?.type ?? 'unknown'),
          model,
          stage: lifecycle?.stage ?? null,
          daysToShutdown: lifecycle?.daysToShutdown ?? null,
          unknownModel: lifecycle !== null && !lifecycle.known,
          detail: detailOf(document, id),
          run: runNodes?.find((run) => run.node === id) ?? null,
          runNote: runNotes?.[id] ?? null,
          hasError: errorNodes?.has(id) ?? false,
          sourcePorts: sourcePorts(document, id),
          targetPorts: node ? (targetPortsByType[node.type] ?? []) : [],
          connectable: onConnect !== undefined,
        },
      };
    });
  }, [document, models.data, selected, runNodes, runNotes, errorNodes, onMove, onConnect]);
  // Local node state (positions while dragging), reset whenever the document or the run changes.
  const [local, setLocal] = useState({ built, nodes: built });
  if (local.built !== built) {
    // Keep each node's measured size: a node whose element does not resize is not measured again, and
    // React Flow hides nodes it has no size for.
    const measured = new Map(local.nodes.map((node) => [node.id, node.measured]));
    setLocal({
      built,
      nodes: built.map((node) => {
        const size = measured.get(node.id);
        return size ? { ...node, measured: size } : node;
      }),
    });
  }
  const nodes = local.built === built ? local.nodes : built;
  const edges = useMemo<Edge[]>(() => {
    const seen = new Map<string, Edge>();
    for (const wire of flowWires(document)) {
      const id = `${wire.source}->${wire.target}:${wire.port}`;
      if (seen.has(id)) continue;
      const targetNode = document.nodes[wire.target];
      const targetPort = targetPortOfField(wire.field);
      seen.set(id, {
        id,
        source: wire.source,
        target: wire.target,
        // A wire whose ends are not ports (a dangling or mistyped reference) is drawn node to node.
        ...(sourcePorts(document, wire.source).includes(wire.port) ? { sourceHandle: wire.port } : {}),
        ...(targetNode && targetPortsByType[targetNode.type]?.includes(targetPort)
          ? { targetHandle: targetPort }
          : {}),
        label: wire.port,
        markerEnd: { type: MarkerType.ArrowClosed },
        animated: runNodes?.find((run) => run.node === wire.target)?.status === 'running',
      });
    }
    return [...seen.values()];
  }, [document, runNodes]);

  const onNodesChange = (changes: NodeChange<CanvasNode>[]) => {
    setLocal((current) => ({ built: current.built, nodes: applyNodeChanges(changes, current.nodes) }));
    for (const change of changes) {
      if (change.type === 'position' && change.dragging === false && change.position && onMove) {
        onMove(change.id, { x: Math.round(change.position.x), y: Math.round(change.position.y) });
      }
    }
  };

  const onDragOver = (event: DragEvent) => {
    if (!onPlace || !event.dataTransfer.types.includes(paletteDragType)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent) => {
    const item = paletteItemOf(event.dataTransfer.getData(paletteDragType));
    if (!onPlace || !item || !instance) return;
    event.preventDefault();
    onPlace(item, instance.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  return (
    <div className="flow-canvas" role="region" aria-label={label} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onInit={setInstance}
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        nodesConnectable={onConnect !== undefined}
        onConnect={(connection) => {
          if (connection.sourceHandle && connection.targetHandle)
            onConnect?.({
              source: connection.source,
              sourcePort: connection.sourceHandle,
              target: connection.target,
              targetPort: connection.targetHandle,
            });
        }}
        // Nodes are removed by editing the document, not by a stray key press on the canvas.
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.1}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
