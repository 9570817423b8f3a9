import type { Rule } from '../../engine/types';
import insecureGeneration from './insecure-generation';
import missingPrefix from './missing-prefix';
import plaintextStorage from './plaintext-storage';
import weakHash from './weak-hash';

export const apikeyRules: Rule[] = [
  insecureGeneration,
  missingPrefix,
  plaintextStorage,
  weakHash,
];
