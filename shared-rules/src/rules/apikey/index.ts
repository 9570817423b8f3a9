import type { Rule } from '../../engine/types';

export const apikeyRules: Rule[] = [
];
