/** Helpers the projects' tests share (servers and child processes on loopback); no production code imports this. */
export { freePort } from './free-port';
export { startChild, startRedisServer, type StartChildOptions, type StartedChild } from './child';
