/**
 * Entry point of a local engine thread (compiled to dist/worker.js). A session attaches its rows (shared memory,
 * mapped once, or a row file) and the kernel modules it needs (loaded once per thread), then asks for maps: a
 * kernel's result for a run of chunks, written into the session's shared buffer at each chunk's offset. When the
 * session ends on its own the thread detaches and may wait for the next session (idle-threads.ts).
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { getKernel, loadKernelModules } from './kernel';
import { RowFileReader } from './row-file';
import type { AttachRequest, DetachRequest, MapRequest, ThreadFault, ThreadReply } from './thread-protocol';

/** The attached session's rows and this thread's place in it. */
interface Attached {
  workerIndex: number;
  cols: number;
  matrix?: Float64Array;
  reader?: RowFileReader;
}

let session: Attached | null = null;
const loadedModules = new Set<string>();
let peakHeapBytes = 0;

function sampleHeap(): void {
  peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size);
}

function attach(request: AttachRequest): void {
  detach();
  const fresh = request.kernelModules.filter((m) => !loadedModules.has(m));
  loadKernelModules(fresh);
  for (const module of fresh) loadedModules.add(module);
  const { data, file, offset, rows, cols, workerIndex } = request;
  session = {
    workerIndex,
    cols,
    ...(data ? { matrix: new Float64Array(data, offset * 8, rows * cols) } : {}),
    ...(file !== undefined ? { reader: new RowFileReader({ file, rows, cols }) } : {}),
  };
  // the session's peak, not the last session's
  peakHeapBytes = 0;
}

function detach(): void {
  session?.reader?.close();
  session = null;
}

function map(request: MapRequest): void {
  if (!session) throw new Error('a map request came before any rows were attached to this thread');
  if (request.fault) commitFault(request.fault);
  const { workerIndex, cols, matrix, reader } = session;
  const kernel = getKernel(request.kernel);
  const state = kernel.prepare ? kernel.prepare(request.params) : request.params;
  const out = new Float64Array(request.out);
  const cursors = new Int32Array(request.cursors);
  const { assignments, chunks, offsets } = request;
  // own run first, then the others', each taken front to back one chunk at a time
  for (let step = 0; step < assignments.length; step++) {
    const owner = (workerIndex + step) % assignments.length;
    const end = assignments[owner][1];
    for (let c = Atomics.add(cursors, owner, 1); c < end; c = Atomics.add(cursors, owner, 1)) {
      const [start, end] = chunks[c];
      // a row file's chunk is read into a buffer of its own rows, [0, end − start)
      if (reader) kernel.compute(state, reader.read(start, end), cols, 0, end - start, out, offsets[c]);
      else kernel.compute(state, matrix!, cols, start, end, out, offsets[c]);
    }
  }
}

/** Used only by tests: a real heap exhaustion or a hard exit, as a bug or a huge input would cause. */
function commitFault(fault: ThreadFault): void {
  if (fault === 'crash') process.exit(70);
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length + 0.5));
}

parentPort!.on('message', (request: AttachRequest | MapRequest | DetachRequest) => {
  if (request.type === 'detach') return void detach();
  let reply: ThreadReply;
  try {
    if (request.type === 'attach') attach(request);
    sampleHeap();
    if (request.type === 'map') map(request);
    sampleHeap();
    reply = { type: 'done', id: request.id, peakHeapMb: peakHeapBytes / (1024 * 1024) };
  } catch (error) {
    const e = error as Error & { details?: Record<string, unknown> };
    reply = { type: 'error', id: request.id, name: e.name ?? 'Error', message: e.message ?? String(error), details: e.details };
  }
  parentPort!.postMessage(reply);
});
