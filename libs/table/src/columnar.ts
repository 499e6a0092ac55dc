/**
 * The binary columnar form of a stored dataset: what runs read instead of parsing CSV again. Numbers are kept as
 * the little-endian doubles they are in memory, so reading is one copy from disk into shared memory (where the
 * engine's worker threads can read a vector column as the feature matrix) and no parsing.
 *
 * Layout: "MXCOLS01", a uint32 header length, the header (JSON: schema, rowCount, one block per column), then
 * each column's block at an 8-byte-aligned offset:
 *   double/long: rowCount float64;  vector: rowCount × dims float64 (row-major);
 *   string: (rowCount + 1) uint32 byte offsets into the UTF-8 bytes that follow them;
 *   a vector column whose text is kept (VectorColumn.text) has a string block of it too (`text`).
 * Kept behind ColumnarStore so another format (Parquet, DuckDB) can replace it without touching its callers.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { TableError } from './errors';
import { isNumericType } from './schema';
import { isVectorColumn, tableFromColumns, vectorColumn } from './table';
import type { ColumnData, Table, TableSchema } from './types';
import { parseVectors } from './vectors';

/** Where a stored table lives and how it is read back. */
export interface ColumnarStore {
  /** writes the table to `path` atomically (a temporary file beside it, then a rename) */
  write(table: Table, path: string): Promise<void>;
  /** the table stored at `path`; numbers land on shared memory */
  read(path: string): Promise<Table>;
}

const MAGIC = 'MXCOLS01';

interface Block {
  kind: 'f64' | 'vectors' | 'strings';
  offset: number;
  byteLength: number;
  dims?: number;
  /** a vector column's kept text, a strings block */
  text?: Block;
}

interface Header {
  schema: TableSchema;
  rowCount: number;
  blocks: Block[];
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

interface Part {
  kind: Block['kind'];
  bytes: Uint8Array[];
  dims?: number;
}

function stringBytes(values: readonly string[]): Part {
  const texts = values.map((s) => Buffer.from(s, 'utf8'));
  const offsets = new Uint32Array(values.length + 1);
  texts.forEach((t, r) => (offsets[r + 1] = offsets[r] + t.length));
  return { kind: 'strings', bytes: [new Uint8Array(offsets.buffer), ...texts] };
}

const f64Bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A column's parts: numbers as they are in memory, strings as offsets + UTF-8, a vector column's kept text after it. */
function columnParts(data: ColumnData, type: string, name: string): Part[] {
  if (data instanceof Float64Array) return [{ kind: 'f64', bytes: [f64Bytes(data)] }];
  if (isVectorColumn(data)) {
    const values: Part = { kind: 'vectors', dims: data.dims, bytes: [f64Bytes(data.values)] };
    return data.text ? [values, stringBytes(data.text)] : [values];
  }
  if (type === 'vector') {
    const dense = parseVectors(data, name);
    return columnParts(vectorColumn(dense.data, dense.rows, dense.cols, data), type, name);
  }
  return [stringBytes(data)];
}

async function writeBinary(table: Table, path: string): Promise<void> {
  const columns = table.columns.map((data, j) => columnParts(data, table.schema.columns[j].type, table.schema.columns[j].name));
  let blocks: Block[] = [];
  const draft = (start: number) => {
    let at = start;
    const place = (p: Part): Block => {
      const byteLength = p.bytes.reduce((n, b) => n + b.byteLength, 0);
      const block: Block = { kind: p.kind, offset: at, byteLength, ...(p.dims !== undefined ? { dims: p.dims } : {}) };
      at = align8(at + byteLength);
      return block;
    };
    blocks = columns.map(([main, text]) => {
      const block = place(main);
      return text ? { ...block, text: place(text) } : block;
    });
    return Buffer.from(JSON.stringify({ schema: table.schema, rowCount: table.rowCount, blocks } satisfies Header), 'utf8');
  };
  // the offsets depend on the header's length and the header holds the offsets: grow until they agree
  let start = 0;
  let header = draft(start);
  while (align8(MAGIC.length + 4 + header.length) !== start) {
    start = align8(MAGIC.length + 4 + header.length);
    header = draft(start);
  }
  await writeFileAtomic(path, async (handle) => {
    const lead = Buffer.alloc(MAGIC.length + 4);
    lead.write(MAGIC, 0, 'latin1');
    lead.writeUInt32LE(header.length, MAGIC.length);
    let position = 0;
    const put = async (bytes: Uint8Array) => {
      await handle.write(bytes, 0, bytes.byteLength, position);
      position += bytes.byteLength;
    };
    const putPart = async (part: Part, block: Block) => {
      position = block.offset;
      // many small strings: write them in batches rather than one call each
      for (let i = 0; i < part.bytes.length; i += 4096) {
        const group = part.bytes.slice(i, i + 4096);
        await put(group.length === 1 ? group[0] : Buffer.concat(group)); // a column of numbers goes out as it is
      }
    };
    await put(lead);
    await put(header);
    for (const [j, [main, text]] of columns.entries()) {
      await putPart(main, blocks[j]);
      if (text) await putPart(text, blocks[j].text!);
    }
    await handle.truncate(position);
  });
}

function corrupt(path: string, what: string): TableError {
  return new TableError(`the binary dataset file ${basename(path)} is damaged (${what}); delete it and the server rebuilds it from the CSV`);
}

async function readBinary(path: string): Promise<Table> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // one read from disk into shared memory: the engine's threads read vector columns where they land
    const shared = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(shared);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) throw corrupt(path, 'shorter than its size');
      at += bytesRead;
    }
    const view = Buffer.from(shared);
    if (size < MAGIC.length + 4 || view.toString('latin1', 0, MAGIC.length) !== MAGIC) throw corrupt(path, 'not a Mixflow columnar file');
    const headerLength = view.readUInt32LE(MAGIC.length);
    let header: Header;
    try {
      header = JSON.parse(view.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
    } catch {
      throw corrupt(path, 'unreadable header');
    }
    const rows = header.rowCount;
    const strings = (b: Block): string[] => {
      const offsets = new Uint32Array(shared.slice(b.offset, b.offset + (rows + 1) * 4));
      const textStart = b.offset + (rows + 1) * 4;
      const out = new Array<string>(rows);
      for (let r = 0; r < rows; r++) out[r] = view.toString('utf8', textStart + offsets[r], textStart + offsets[r + 1]);
      return out;
    };
    const columns = header.blocks.map((b, j): ColumnData => {
      for (const block of b.text ? [b, b.text] : [b]) {
        if (block.offset % 8 !== 0 || block.offset + block.byteLength > size) throw corrupt(path, `column ${j + 1} lies outside the file`);
      }
      if (b.kind === 'f64') return new Float64Array(shared, b.offset, rows);
      if (b.kind === 'vectors') {
        const values = new Float64Array(shared, b.offset, rows * b.dims!);
        return b.text ? { kind: 'vectors', length: rows, dims: b.dims!, values, text: strings(b.text) } : vectorColumn(values, rows, b.dims!);
      }
      return strings(b);
    });
    header.schema.columns.forEach((c, j) => {
      const numeric = columns[j] instanceof Float64Array;
      if (numeric !== isNumericType(c.type)) throw corrupt(path, `column "${c.name}" does not hold ${c.type} values`);
    });
    return tableFromColumns(header.schema, columns);
  } finally {
    await handle.close();
  }
}

/** The binary columnar form described above. */
export const binaryColumnarStore: ColumnarStore = { write: writeBinary, read: readBinary };
