export * from './diagram';
export * from './graph';
export * from './mermaid-check';
export * from './read';
export * from './render';
export * from './resource-graph';
