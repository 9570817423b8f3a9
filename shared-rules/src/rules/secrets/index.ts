import type { Rule } from '../../engine/types';
import knownTokenFormat from './known-token-format';
import highEntropyAssignment from './high-entropy-assignment';
import connectionStringCredentials from './connection-string-credentials';
import envLiteralFallback from './env-literal-fallback';
import envFileNotIgnored from './env-file-not-ignored';
import noSecretsManager from './no-secrets-manager';

export const secretsRules: Rule[] = [
  knownTokenFormat,
  connectionStringCredentials,
  highEntropyAssignment,
  envLiteralFallback,
  envFileNotIgnored,
  noSecretsManager,
];
