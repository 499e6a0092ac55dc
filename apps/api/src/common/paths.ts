import * as path from 'node:path';

/**
 * An absolute POSIX path of two or more segments, not part of a URL or a relative path, nor one of the API's own
 * routes that messages point to ("GET /api/datasets lists them").
 */
const ABSOLUTE_PATH = /(?<![\w.~:/-])(?!\/api\/)(?:\/[^\s'"`()<>,;:/]+){2,}\/?/g;

/**
 * A message with every absolute file path shortened to its last segment: errors and logs the API returns never
 * show where the server keeps its files (`/srv/mixflow/data/runs/r1/x.csv` → `x.csv`).
 */
export function withoutPaths(message: string): string {
  return message.replace(ABSOLUTE_PATH, (p) => path.basename(p));
}
