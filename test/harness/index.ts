export * from './test-app';
export * from './test-config';
export * from './pg-server';
export * from './app-process';
