import type { Rule } from '../../engine/types';
import insecureGeneration from './insecure-generation';
import missingPrefix from './missing-prefix';
import weakHash from './weak-hash';

export const apikeyRules: Rule[] = [
  insecureGeneration,
  missingPrefix,
  weakHash,
];
