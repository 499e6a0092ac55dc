/** React Flow handle ids for component ports: `in-<port>` and `out-<port>`. */
export const inHandle = (port: number) => `in-${port}`;
export const outHandle = (port: number) => `out-${port}`;

/** The port number of a handle id, or 0 for a missing one (single-port components). */
export function portOf(handle: string | null | undefined): number {
  if (!handle) return 0;
  const n = Number(handle.slice(handle.indexOf('-') + 1));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
