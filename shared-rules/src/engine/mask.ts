/** Prefixes that identify a credential's provider and type (public knowledge, no secret material). */
const PROVIDER_PREFIX = /^(?:sk_live_|sk_test_|sk_prod_|rk_live_|rk_test_|rk_prod_|pk_live_|pk_test_|whsec_|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[abposr]-|xapp-|AKIA|ASIA|ABIA|ACCA|A3T|AIza|eyJ|SG\.|npm_|sk-ant-|sk-proj-|sk-|-----BEGIN [A-Z ]{0,40}-----)/;

/**
 * The only form in which a secret may appear in a message, log, JSON or SARIF: a provider prefix (or, for long
 * random material, its first 3 characters), then the length. `sk_live_abc…` → `sk_live_…(32 chars)`.
 * Short values show no characters at all: a guessable word would be half revealed by a prefix.
 */
export function maskSecret(value: string): string {
  const prefix = PROVIDER_PREFIX.exec(value)?.[0] ?? (value.length >= 16 ? value.slice(0, 3) : '');
  return `${prefix}…(${value.length} chars)`;
}
