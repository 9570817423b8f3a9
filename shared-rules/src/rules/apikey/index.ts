import type { Rule } from '../../engine/types';
import insecureGeneration from './insecure-generation';

export const apikeyRules: Rule[] = [
  insecureGeneration,
];
