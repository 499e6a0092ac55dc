/**
 * Numbers as people read them: a fixed number of significant digits (4 by default, trailing zeros dropped),
 * thousands separators for large integers, scientific notation only for very large or very small magnitudes.
 */
export function formatNumber(v: number, significant = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return trimExponent(v.toExponential(significant - 1));
  // above a thousand the whole number with separators reads better than toPrecision's '1.235e+4'
  if (a >= 1e3) return Math.round(v).toLocaleString('en-US');
  const s = v.toPrecision(significant);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function trimExponent(s: string): string {
  const [m, e] = s.split('e');
  const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
  return `${mant}e${Number(e)}`;
}

/** Any metric value for a table cell: numbers to significant digits, booleans as yes/no, arrays by length. */
export function formatValue(v: unknown, significant = 4): string {
  if (typeof v === 'number') return formatNumber(v, significant);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') && v.length <= 6 ? v.map((x) => formatNumber(x, significant)).join(', ') : `${v.length} values`;
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${formatValue(x, significant)}`).join(' · ');
  return String(v);
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A dense vector or a list of probabilities as text ("0.99998 4.77e-13 0.00002"), each number to `significant`
 * digits; undefined when the text is not such a list (a sparse vector, a name), so the caller shows it as is.
 */
export function formatNumberList(text: string, significant = 4): string | undefined {
  const parts = text.trim().split(/[\s,]+/);
  if (parts.length < 2 || !parts.every((p) => NUMBER.test(p))) return undefined;
  return parts.map((p) => formatNumber(Number(p), significant)).join(' ');
}
