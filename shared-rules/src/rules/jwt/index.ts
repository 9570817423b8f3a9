import type { Rule } from '../../engine/types';
import verifyWithoutAlgorithms from './verify-without-algorithms';
import noneAlgorithm from './none-algorithm';
import ignoreExpiration from './ignore-expiration';

export const jwtRules: Rule[] = [
  verifyWithoutAlgorithms,
  noneAlgorithm,
  ignoreExpiration,
];
