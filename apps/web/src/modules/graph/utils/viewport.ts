import type { FitViewOptions } from '@xyflow/react';

/** React Flow's minimap is 200 px wide with a 15 px margin: keep that strip and some air free of nodes. */
const MINIMAP_STRIP = '240px';

/**
 * How "fit view" frames the graph: room on the left for the zoom controls and, while the minimap is shown, on
 * the right for the minimap, so no node ends up underneath an overlay.
 */
export function fitViewOptions(minimapShown: boolean, duration?: number): FitViewOptions {
  return {
    padding: { top: '40px', bottom: '40px', left: '72px', right: minimapShown ? MINIMAP_STRIP : '40px' },
    maxZoom: 1.1,
    ...(duration ? { duration } : {}),
  };
}
