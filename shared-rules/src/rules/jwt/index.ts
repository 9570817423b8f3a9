import type { Rule } from '../../engine/types';
import verifyWithoutAlgorithms from './verify-without-algorithms';
import noneAlgorithm from './none-algorithm';

export const jwtRules: Rule[] = [
  verifyWithoutAlgorithms,
  noneAlgorithm,
];
