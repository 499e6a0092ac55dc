import { deletedDatasetLabel, lastKnownDatasetName, rememberDatasetNames, withDatasetNames } from './knownNames';

function memoryStore(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

const ID = '3f2a9c1e-0b7d-4e5f-9a6b-1c2d3e4f5a6b';

describe('the names of datasets the console has seen', () => {
  it('keeps a deleted dataset’s last known name, and a rename replaces it', () => {
    const store = memoryStore();
    rememberDatasetNames([{ id: ID, name: 'faithful.csv' }], store);
    rememberDatasetNames([{ id: ID, name: 'Old Faithful' }], store);
    rememberDatasetNames([], store); // deleted: no longer listed
    expect(lastKnownDatasetName(ID, store)).toBe('Old Faithful');
    expect(deletedDatasetLabel(ID, store)).toBe('Old Faithful (deleted)');
    expect(deletedDatasetLabel('00000000-0000-0000-0000-000000000000', store)).toBe('a deleted dataset');
  });

  it('names datasets in messages instead of their UUIDs', () => {
    const store = memoryStore();
    rememberDatasetNames([{ id: ID, name: 'Old Faithful' }], store);
    expect(withDatasetNames(`no dataset "${ID}"; upload a CSV`, [], store)).toBe('no dataset "Old Faithful (deleted)"; upload a CSV');
    expect(withDatasetNames(`no dataset "${ID}"`, [{ id: ID, name: 'Renamed' }], store)).toBe('no dataset "Renamed"');
    const unknown = 'no dataset "11111111-2222-3333-4444-555555555555"';
    expect(withDatasetNames(unknown, [], store)).toBe(unknown);
  });

  it('survives broken storage', () => {
    const store = { getItem: () => '{not json', setItem: () => { throw new Error('full'); } };
    expect(() => rememberDatasetNames([{ id: ID, name: 'x' }], store)).not.toThrow();
    expect(lastKnownDatasetName(ID, store)).toBeUndefined();
  });
});
