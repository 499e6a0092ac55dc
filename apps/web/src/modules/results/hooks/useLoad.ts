import { useEffect, useState } from 'react';

/** Loads once per change of `deps`; a late answer for older deps is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: string } {
  const [r, setR] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let cancelled = false;
    setR({});
    load().then((data) => !cancelled && setR({ data }), (e: Error) => !cancelled && setR({ error: e.message }));
    return () => {
      cancelled = true;
    };
  }, deps);
  return r;
}
