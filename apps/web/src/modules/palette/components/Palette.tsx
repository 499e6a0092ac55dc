import { useMemo, useState, type DragEvent } from 'react';
import type { ComponentDescription } from '../../../types/contracts';
import { ComponentIcon } from '../../graph/components/ComponentIcon';
import { filterPalette, PALETTE_DRAG_TYPE } from '../utils/filterPalette';

/** The component catalogue: search, categories, drag onto the canvas (or double-click to add). */
export function Palette({ components, onAdd }: { components: readonly ComponentDescription[]; onAdd: (componentId: string) => void }) {
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const groups = useMemo(() => filterPalette(components, query), [components, query]);

  const onDragStart = (event: DragEvent, id: string) => {
    event.dataTransfer.setData(PALETTE_DRAG_TYPE, id);
    event.dataTransfer.setData('text/plain', id);
    event.dataTransfer.effectAllowed = 'move';
  };

  return (
    <div className="palette" data-testid="palette">
      <div className="search-box">
        <input
          type="search"
          placeholder="Search components"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search"
          aria-label="Search components"
        />
      </div>
      {groups.length === 0 && <div className="empty-hint">No component matches “{query}”.</div>}
      {groups.map((g) => (
        <section key={g.category} className="palette-group" data-testid={`palette-category-${g.category}`}>
          <button className="palette-group-title" onClick={() => setCollapsed((c) => ({ ...c, [g.category]: !c[g.category] }))}>
            <span className={`chevron ${collapsed[g.category] && !query ? '' : 'open'}`}>▸</span> {g.category}
            <span className="count">{g.components.length}</span>
          </button>
          {(!collapsed[g.category] || query) &&
            g.components.map((c) => (
              <div
                key={c.id}
                className="palette-item"
                draggable
                onDragStart={(e) => onDragStart(e, c.id)}
                onDoubleClick={() => onAdd(c.id)}
                title={`${c.description}\n\nDrag onto the canvas, or double-click to add.`}
                data-testid={`palette-item-${c.id}`}
              >
                <span className="palette-icon"><ComponentIcon name={c.icon} category={c.category} /></span>
                <span className="palette-text">
                  <span className="palette-name">{c.displayName}</span>
                  <span className="palette-desc">{c.description}</span>
                </span>
              </div>
            ))}
        </section>
      ))}
    </div>
  );
}
