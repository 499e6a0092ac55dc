/**
 * The names of the datasets this console has seen, kept in the browser after a dataset is deleted, so a Read
 * Dataset node that still points at it shows "Old Faithful (deleted)" rather than a UUID.
 */
import type { Dataset } from '../../../types/contracts';

const KEY = 'mixflow.datasetNames';
/** enough for any real workspace; the oldest names go first */
const LIMIT = 500;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function read(store: Store): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(store.getItem(KEY) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Remembers every listed dataset's current name (a rename replaces the old one). */
export function rememberDatasetNames(datasets: readonly Pick<Dataset, 'id' | 'name'>[], store: Store = localStorage): void {
  const names = read(store);
  for (const d of datasets) {
    delete names[d.id]; // re-inserted last: the most recently seen survive the limit
    names[d.id] = d.name;
  }
  const entries = Object.entries(names);
  try {
    store.setItem(KEY, JSON.stringify(Object.fromEntries(entries.slice(Math.max(0, entries.length - LIMIT)))));
  } catch {
    // storage full or disabled: names are a convenience
  }
}

/** The last name this console saw for a dataset id, if any. */
export function lastKnownDatasetName(id: string, store: Store = localStorage): string | undefined {
  return read(store)[id];
}

/** How the console names a dataset the server no longer has: its last known name, or "a deleted dataset". */
export function deletedDatasetLabel(id: string, store: Store = localStorage): string {
  const name = lastKnownDatasetName(id, store);
  return name ? `${name} (deleted)` : 'a deleted dataset';
}

/** A message naming a dataset by id ("no dataset \"3f…\"") with the id replaced by the dataset's name. */
export function withDatasetNames(message: string, known: readonly Pick<Dataset, 'id' | 'name'>[], store: Store = localStorage): string {
  return message.replace(/"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/gi, (whole, id: string) => {
    const current = known.find((d) => d.id === id);
    if (current) return `"${current.name}"`;
    return lastKnownDatasetName(id, store) ? `"${deletedDatasetLabel(id, store)}"` : whole;
  });
}
