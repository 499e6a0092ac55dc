import { useCallback, useState } from 'react';

const KEY = 'mixflow.canvas.minimap';

/** Whether the canvas shows its minimap; the choice is remembered in this browser. */
export function useMinimapPreference(): [boolean, () => void] {
  const [shown, setShown] = useState(() => {
    try {
      return window.localStorage.getItem(KEY) !== 'hidden';
    } catch {
      return true;
    }
  });
  const toggle = useCallback(() => {
    setShown((s) => {
      try {
        window.localStorage.setItem(KEY, s ? 'hidden' : 'shown');
      } catch {
        /* private mode: the choice lasts this session */
      }
      return !s;
    });
  }, []);
  return [shown, toggle];
}
