export * from './auth';
export * from './llm';
export * from './studies';
export * from './participants';
export * from './conversations';
export * from './benchmarks';
export * from './insights';
export * from './jobs';
