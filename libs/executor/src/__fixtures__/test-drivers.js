// Driver functions for driver.spec.ts, in plain CommonJS so a driver thread loads them without a build.
'use strict';
const { join } = require('node:path');
const { registerKernels } = require('@mixflow/executor');

// a driver thread with its own inline engine finds the test kernels here
const kernelFile = join(__dirname, 'test-kernels.js');
registerKernels(kernelFile, require(kernelFile).kernels);

/** One session, one map of test.weighted-sums; the chunks' results as plain arrays, and an event per chunk. */
exports.sumColumns = async (input, ctx) => {
  const session = await ctx.engine.open(input.matrix, input.chunkRows, { numWorkers: input.numWorkers, memoryPerWorkerMb: 256 });
  const results = await session.map('test.weighted-sums', input.params);
  const chunks = Array.from({ length: results.count }, (_, c) => Array.from(results.chunk(c)));
  chunks.forEach((_, c) => ctx.emit({ chunk: c }));
  await session.close();
  return { chunks, engine: ctx.engine.kind, workersUsed: session.info().workersUsed };
};

/** Computes for ever without yielding, as a long factorisation would. */
exports.spin = async (_input, ctx) => {
  ctx.emit('spinning');
  let x = 0;
  for (;;) x = (x + 1) % 7;
};

/** Fails with a located error. */
exports.fail = async () => {
  const error = new Error('row 3: not a number');
  error.name = 'RowError';
  error.details = { row: 3 };
  throw error;
};

/** Which thread ran it. */
exports.whichThread = async () => require('node:worker_threads').threadId;
