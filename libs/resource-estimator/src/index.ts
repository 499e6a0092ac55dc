export * from './types';
export * from './estimate';
export * from './time';
