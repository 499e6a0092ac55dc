/**
 * Entry point of a local engine thread (compiled to dist/worker.js). It maps the shared rows once and
 * answers requests: the sufficient statistics of a run of chunks, written into the driver's shared
 * slots, or the predictions of a row range.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { chunkStats, GaussianMixture, makeDataMatrix } from '@mixflow/gmm';
import { writeStats } from './codec';
import type { PredictRequest, StatsRequest, ThreadData, ThreadFault, ThreadReply, ThreadRequest } from './thread-protocol';

const { data, rows, cols, workerIndex } = workerData as ThreadData;
const matrix = new Float64Array(data, 0, rows * cols);
let peakHeapBytes = 0;

function sampleHeap(): void {
  peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size);
}

function computeStats(request: StatsRequest): void {
  if (request.fault) commitFault(request.fault);
  const out = new Float64Array(request.out);
  const cursors = new Int32Array(request.cursors);
  const { assignments } = request;
  // own run first, then the others', each taken front to back one chunk at a time
  for (let step = 0; step < assignments.length; step++) {
    const owner = (workerIndex + step) % assignments.length;
    const end = assignments[owner][1];
    for (let c = Atomics.add(cursors, owner, 1); c < end; c = Atomics.add(cursors, owner, 1)) {
      const [start, stop] = request.chunks[c];
      writeStats(chunkStats(request.prepared, matrix, cols, start, stop), out, c * request.slotLength);
    }
  }
}

function predictRange(request: PredictRequest): void {
  const model = GaussianMixture.fromJSON(request.model);
  const part = makeDataMatrix(matrix.subarray(request.start * cols, request.end * cols), request.end - request.start, cols);
  const { labels, probabilities } = model.predictWithProba(part);
  new Int32Array(request.labels).set(labels, request.start);
  new Float64Array(request.probabilities).set(probabilities, request.start * model.k);
}

/** Used only by tests: a real heap exhaustion or a hard exit, as a bug or a huge input would cause. */
function commitFault(fault: ThreadFault): void {
  if (fault === 'crash') process.exit(70);
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length + 0.5));
}

parentPort!.on('message', (request: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    sampleHeap();
    if (request.type === 'stats') computeStats(request);
    else predictRange(request);
    sampleHeap();
    reply = { type: 'done', id: request.id, peakHeapMb: peakHeapBytes / (1024 * 1024) };
  } catch (error) {
    const e = error as Error & { details?: Record<string, unknown> };
    reply = { type: 'error', id: request.id, name: e.name ?? 'Error', message: e.message ?? String(error), details: e.details };
  }
  parentPort!.postMessage(reply);
});
