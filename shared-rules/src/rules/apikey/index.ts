import type { Rule } from '../../engine/types';
import insecureGeneration from './insecure-generation';
import missingPrefix from './missing-prefix';

export const apikeyRules: Rule[] = [
  insecureGeneration,
  missingPrefix,
];
