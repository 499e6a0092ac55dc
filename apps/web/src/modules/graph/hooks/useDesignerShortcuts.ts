import { useEffect, useRef } from 'react';

export interface DesignerShortcuts {
  save: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
}

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The designer's keys while it is visible: Ctrl+S saves (even while typing), Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo
 * and redo, Ctrl+C / Ctrl+V copy and paste nodes. Delete is React Flow's own.
 */
export function useDesignerShortcuts(visible: boolean, actions: DesignerShortcuts) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!visible) return;
    const onKey = (e: KeyboardEvent) => {
      const a = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
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
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible]);
}
