/**
 * The only form in which a secret may appear in a message, log, JSON or SARIF: a recognisable prefix, then the
 * length. `sk_live_abc…` → `sk_live_…(32 chars)`. Random material never shows beyond 3 characters.
 */
export function maskSecret(value: string): string {
  const prefix = /^(?:[A-Za-z]{2,10}[_-](?:live_|test_|prod_|proj-|ant-)?|-----BEGIN [A-Z ]{0,40}-----|AKIA|ASIA|AIza|eyJ)/.exec(value)?.[0]
    ?? value.slice(0, Math.min(3, Math.floor(value.length / 4)));
  return `${prefix}…(${value.length} chars)`;
}
