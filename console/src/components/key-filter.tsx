import { useApiKeys, useCallerKey } from '../api/api-keys.js';

/**
 * The task list's key filter, for admin keys only: any other key sees only its own tasks (the server
 * decides), so for it there is nothing to choose and the keys are not even asked for.
 */
export function KeyFilter({ value, onChange }: { value: string; onChange: (keyId: string) => void }) {
  const me = useCallerKey();
  const admin = me.data?.admin === true;
  const keys = useApiKeys(admin);
  if (!admin) return null;
  const known = keys.data?.data ?? [];
  return (
    <div className="field">
      <label htmlFor="filter-key">Key</label>
      <select id="filter-key" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">any</option>
        {/* A key named in the URL stays selectable while the list loads (or if it is not known). */}
        {value && !known.some((key) => key.id === value) && <option value={value}>{value}</option>}
        {known.map((key) => (
          <option key={key.id} value={key.id}>
            {key.name} ({key.id}){key.revoked_at === null ? '' : ', revoked'}
          </option>
        ))}
      </select>
    </div>
  );
}
