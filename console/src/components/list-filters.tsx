import { useModels } from '../api/use-models.js';

/** A model filter: any, a logical name, or a catalog model. */
export function ModelFilter(props: { id: string; value: string; onChange: (model: string) => void }) {
  const models = useModels();
  const names = [
    ...(models.data?.logical_names.map((entry) => entry.id) ?? []),
    ...(models.data?.data.map((entry) => entry.id) ?? []),
  ];
  return (
    <div className="field">
      <label htmlFor={props.id}>Model</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">any</option>
        {names.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
    </div>
  );
}

/** A range of UTC days, each end optional; `onChange` names the end (`from` or `to`) that changed. */
export function DayRangeFilter(props: {
  idPrefix: string;
  labels: { from: string; to: string };
  from: string;
  to: string;
  onChange: (end: 'from' | 'to', day: string) => void;
}) {
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <div className="field" key={end}>
          <label htmlFor={`${props.idPrefix}-${end}`}>{props.labels[end]}</label>
          <input
            id={`${props.idPrefix}-${end}`}
            type="date"
            value={props[end]}
            onChange={(event) => props.onChange(end, event.target.value)}
          />
        </div>
      ))}
    </>
  );
}
