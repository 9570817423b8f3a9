import type { Rule } from '../../engine/types';

export const secretsRules: Rule[] = [
];
