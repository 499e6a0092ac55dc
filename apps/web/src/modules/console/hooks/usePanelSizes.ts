import { useCallback, useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';

export interface PanelSizes {
  sidebar: number;
  inspector: number;
  dock: number;
}

const KEY = 'mixflow.console.panels';
export const DEFAULT_PANELS: PanelSizes = { sidebar: 260, inspector: 384, dock: 300 };
const LIMITS: Record<keyof PanelSizes, [number, number]> = { sidebar: [180, 480], inspector: [300, 640], dock: [120, 900] };

/** A panel size kept within its limits (and the dock within the window). */
export function clampPanel(panel: keyof PanelSizes, size: number, windowHeight = Infinity): number {
  const [min, max] = LIMITS[panel];
  const upper = panel === 'dock' ? Math.min(max, Math.max(min, windowHeight - 220)) : max;
  return Math.round(Math.min(upper, Math.max(min, size)));
}

function load(): PanelSizes {
  try {
    const saved = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<PanelSizes>;
    return { ...DEFAULT_PANELS, ...Object.fromEntries(Object.entries(saved).filter(([, v]) => typeof v === 'number')) };
  } catch {
    return DEFAULT_PANELS;
  }
}

/**
 * The sidebar's and the inspector's widths and the dock's height, changed by dragging the splitters between
 * them and remembered in this browser; a double-click on a splitter restores the default.
 */
export function usePanelSizes() {
  const [sizes, setSizes] = useState<PanelSizes>(load);
  useEffect(() => {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(sizes));
    } catch {
      /* private mode: sizes last this session */
    }
  }, [sizes]);

  /** Pointer-down handler for a splitter: `direction` is +1 when dragging right/up grows the panel, -1 otherwise. */
  const startResize = useCallback((panel: keyof PanelSizes, direction: 1 | -1) => (e: ReactPointerEvent) => {
    e.preventDefault();
    const vertical = panel === 'dock';
    const start = vertical ? e.clientY : e.clientX;
    const initial = sizes[panel];
    const move = (m: PointerEvent) => {
      const delta = ((vertical ? m.clientY : m.clientX) - start) * direction;
      setSizes((s) => ({ ...s, [panel]: clampPanel(panel, initial + (vertical ? -delta : delta), window.innerHeight) }));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      document.body.classList.remove('resizing');
    };
    document.body.classList.add('resizing');
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }, [sizes]);

  const reset = useCallback((panel: keyof PanelSizes) => setSizes((s) => ({ ...s, [panel]: DEFAULT_PANELS[panel] })), []);
  return { sizes, startResize, reset };
}
