/**
 * The calibration's own thread: measures both kernel families and posts their rates (calibrateOffThread). A server
 * calibrates here so the tens to hundreds of milliseconds of kernels never run on its request thread.
 */
import { parentPort } from 'node:worker_threads';
import { calibrate } from './time';

parentPort?.postMessage([calibrate('full'), calibrate('diag')]);
