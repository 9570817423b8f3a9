import type { Rule } from '../engine/types';
import { apikeyRules } from './apikey';
import { jwtRules } from './jwt';
import { secretsRules } from './secrets';

/** Every rule, in a stable order (families alphabetical as they appear in the rules table). */
export const allRules: Rule[] = [...jwtRules, ...apikeyRules, ...secretsRules];
