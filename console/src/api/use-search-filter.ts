import { useSearchParams } from 'react-router';

/**
 * A page's filters kept in its URL (so a filtered view can be linked and survives a reload): the current value
 * of each named parameter, and a setter that replaces the history entry; an empty value removes the parameter.
 */
export function useSearchFilter() {
  const [search, setSearch] = useSearchParams();
  const valueOf = (name: string) => search.get(name) ?? '';
  const setValue = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };
  return { valueOf, setValue };
}
