import { useEffect, useRef } from 'react';

export interface DesignerShortcuts {
  save: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  fitView: () => void;
  selectAll: () => void;
  rename: () => void;
}

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The designer's keys while it is visible: Ctrl+S saves (even while typing), Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo
 * and redo, Ctrl+C / Ctrl+V copy and paste nodes, Ctrl+A selects every node, Shift+1 fits the view (n8n's key),
 * F2 renames the selected node. Delete is React Flow's own.
 */
export function useDesignerShortcuts(visible: boolean, actions: DesignerShortcuts) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!visible) return;
    const onKey = (e: KeyboardEvent) => {
      const a = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) {
        if (isTyping(e.target) || e.altKey) return;
        // the physical key, so Shift+1 works whatever the layout prints on it
        if (e.shiftKey && e.code === 'Digit1') { e.preventDefault(); a.fitView(); }
        else if (e.key === 'F2') { e.preventDefault(); a.rename(); }
        return;
      }
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        a.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); a.undo(); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); a.redo(); }
      else if (k === 'c') a.copy();
      else if (k === 'v') a.paste();
      else if (k === 'a') { e.preventDefault(); a.selectAll(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible]);
}
