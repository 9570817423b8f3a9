import type { Rule } from '../../engine/types';
import insecureGeneration from './insecure-generation';
import missingPrefix from './missing-prefix';
import nonConstantTimeCompare from './non-constant-time-compare';
import plaintextStorage from './plaintext-storage';
import secretInLogs from './secret-in-logs';
import weakHash from './weak-hash';

export const apikeyRules: Rule[] = [
  insecureGeneration,
  missingPrefix,
  nonConstantTimeCompare,
  plaintextStorage,
  secretInLogs,
  weakHash,
];
