import type { Rule } from '../../engine/types';
import knownTokenFormat from './known-token-format';

export const secretsRules: Rule[] = [
  knownTokenFormat,
];
