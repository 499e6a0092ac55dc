/** Cluster colours: distinct, colour-blind friendly first (Okabe–Ito), then a golden-angle hue walk. */
const BASE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];
export function clusterColor(i: number): string {
  if (i < BASE.length) return BASE[i];
  return `hsl(${Math.round((i * 137.508) % 360)}, 65%, 45%)`;
}
