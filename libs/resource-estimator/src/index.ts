export * from './types';
export * from './estimate';
