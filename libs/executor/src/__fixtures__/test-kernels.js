// Kernels for the executor's own tests, in plain CommonJS so worker threads load them without a build.
'use strict';

/** Per chunk: [rows, Σ scale·x_j + shift_j for each column j] in row order, so any change of chunking or order shows in the bits. */
const weightedSums = {
  name: 'test.weighted-sums',
  resultLength: (_params, _rows, cols) => 1 + cols,
  compute: (params, data, cols, start, end, out, offset) => {
    out[offset] = end - start;
    for (let i = start; i < end; i++) {
      for (let j = 0; j < cols; j++) out[offset + 1 + j] += params.scale * data[i * cols + j] + params.shift[j];
    }
  },
};

/** Per row: the row's first value times the prepared factor (prepare runs once per worker and map). */
const scaledFirst = {
  name: 'test.scaled-first',
  resultLength: (_params, rows) => rows,
  prepare: (params) => ({ factor: params.a * params.b }),
  compute: (state, data, cols, start, end, out, offset) => {
    for (let i = start; i < end; i++) out[offset + i - start] = data[i * cols] * state.factor;
  },
};

/** Fails on the chunk holding row `row` (0-based) with a located error, as a kernel's input check would. */
const failsAt = {
  name: 'test.fails-at',
  resultLength: () => 1,
  compute: (params, _data, _cols, start, end) => {
    if (params.row >= start && params.row < end) {
      const error = new Error(`row ${params.row + 1}: not a number`);
      error.name = 'RowError';
      error.details = { row: params.row + 1 };
      throw error;
    }
  },
};

exports.kernels = [weightedSums, scaledFirst, failsAt];
