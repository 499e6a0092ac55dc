/**
 * Entry point of a local engine thread (compiled to dist/worker.js). It maps the shared rows once, loads the
 * kernel modules, and answers map requests: a kernel's result for a run of chunks, written into the driver's
 * shared buffer at each chunk's offset.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { getKernel, loadKernelModules } from './kernel';
import { RowFileReader } from './row-file';
import type { MapRequest, ThreadData, ThreadFault, ThreadReply } from './thread-protocol';

const { data, file, offset, rows, cols, workerIndex, kernelModules } = workerData as ThreadData;
const matrix = data ? new Float64Array(data, offset * 8, rows * cols) : undefined;
const reader = file !== undefined ? new RowFileReader({ file, rows, cols }) : undefined;
loadKernelModules(kernelModules);
let peakHeapBytes = 0;

function sampleHeap(): void {
  peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size);
}

function map(request: MapRequest): void {
  if (request.fault) commitFault(request.fault);
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

parentPort!.on('message', (request: MapRequest) => {
  let reply: ThreadReply;
  try {
    sampleHeap();
    map(request);
    sampleHeap();
    reply = { type: 'done', id: request.id, peakHeapMb: peakHeapBytes / (1024 * 1024) };
  } catch (error) {
    const e = error as Error & { details?: Record<string, unknown> };
    reply = { type: 'error', id: request.id, name: e.name ?? 'Error', message: e.message ?? String(error), details: e.details };
  }
  parentPort!.postMessage(reply);
});
