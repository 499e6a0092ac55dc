/** Small glyphs for component icons; unknown names fall back to the category's glyph. */
const paths: Record<string, string> = {
  database: 'M4 5c0-1.1 3.6-2 8-2s8 .9 8 2-3.6 2-8 2-8-.9-8-2zm0 0v14c0 1.1 3.6 2 8 2s8-.9 8-2V5M4 12c0 1.1 3.6 2 8 2s8-.9 8-2',
  table: 'M3 4h18v16H3zM3 10h18M3 15h18M9 4v16',
  cluster: 'M8 9a4 4 0 1 0 0 .01M16 15a4 4 0 1 0 0 .01M15 6a2 2 0 1 0 0 .01',
  predict: 'M4 12h12M12 6l6 6-6 6M20 4v16',
  stream: 'M3 8c3-3 6 3 9 0s6 3 9 0M3 16c3-3 6 3 9 0s6 3 9 0',
};
const aliases: Record<string, string> = { dataset: 'database', data: 'database', gmm: 'cluster', 'gmm-train': 'cluster', train: 'cluster', clustering: 'cluster', 'gmm-predict': 'predict', prediction: 'predict' };

export function ComponentIcon({ name, category, size = 18 }: { name?: string; category?: string; size?: number }) {
  const key = name && (paths[name] ? name : aliases[name]);
  const d = paths[key ?? ''] ?? (category === 'Data' ? paths.database : paths.cluster);
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}
