import type { Rule } from '../../engine/types';
import verifyWithoutAlgorithms from './verify-without-algorithms';

export const jwtRules: Rule[] = [
  verifyWithoutAlgorithms,
];
