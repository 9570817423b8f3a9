export * from './engine/types';
export * from './engine/analyze';
export * from './engine/config';
export * from './engine/project';
export * from './engine/scan';
export { maskSecret } from './engine/mask';
export { allRules } from './rules';
