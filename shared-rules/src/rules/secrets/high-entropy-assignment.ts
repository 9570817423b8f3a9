import ts = require('typescript');
import { maskSecret } from '../../engine/mask';
import { defineRule, Severity } from '../../engine/types';
import { propertyName } from '../../model/constEval';
import { skipOuter } from '../../model/imports';
import { envNameFor } from '../../model/requireEnvFix';
import { DEFAULT_THRESHOLDS, EntropyThresholds, isReplaceableExpression, isSecretsTestLike, looksLikeSecret, secretEnvSuggestion } from '../../model/secretValues';
import { classifyName, splitName } from '../../model/sensitiveNames';
import { containsKnownToken } from '../../model/tokenFormats';
import { CREDENTIAL_OR_AUTH_NAMES } from '../../model/textGates';

const { SyntaxKind } = ts;

const GENERIC_PARENTS = /^(config|configuration|options|opts|settings|env|environment|params|props|defaults|values|data|credentials|creds|auth|secrets|keys|o|c|cfg|conf)$/i;
const DUMMY_NAME_WORDS = /^(fake|dummy|mock|mocked|example|sample|placeholder|stub|fixture|demo)$/;
const CLIENT_CONFIG_KEYS = ['authDomain', 'projectId', 'appId', 'messagingSenderId', 'storageBucket', 'databaseURL', 'measurementId'];

export default defineRule({
  meta: {
    id: 'secrets/high-entropy-assignment',
    title: 'Random-looking literal assigned to a secret-named binding',
    description: 'A password, secret, token or key name is given a literal that looks random: a credential written in the source.',
    defaultSeverity: 'warning',
    checklist: ['secrets'],
    owasp: ['API8'],
    cwe: [798, 259],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: CREDENTIAL_OR_AUTH_NAMES,
    options: {
      minLength: { type: 'number', default: DEFAULT_THRESHOLDS.minLength, description: 'Minimum length of a literal (non-password names).' },
      minPasswordLength: { type: 'number', default: DEFAULT_THRESHOLDS.minPasswordLength, description: 'Minimum length of a literal assigned to a password name.' },
      entropy: { type: 'number', default: DEFAULT_THRESHOLDS.entropy, description: 'Minimum Shannon entropy (bits/char) for mixed alphabets (gitleaks generic: 3.5; SonarJS: 5.0).' },
      hexEntropy: { type: 'number', default: DEFAULT_THRESHOLDS.hexEntropy, description: 'Minimum entropy for hex-only literals.' },
      hexMinLength: { type: 'number', default: DEFAULT_THRESHOLDS.hexMinLength, description: 'Minimum length for hex-only literals.' },
      base64Entropy: { type: 'number', default: DEFAULT_THRESHOLDS.base64Entropy, description: 'Minimum entropy for base64 literals (with +, / or =).' },
    },
  },
  create(context) {
    const o = context.options;
    const num = (k: keyof EntropyThresholds) => (typeof o[k] === 'number' ? (o[k] as number) : DEFAULT_THRESHOLDS[k]);
    const t: EntropyThresholds = {
      minLength: num('minLength'), minPasswordLength: num('minPasswordLength'), entropy: num('entropy'),
      hexEntropy: num('hexEntropy'), hexMinLength: num('hexMinLength'), base64Entropy: num('base64Entropy'),
    };

    const check = (name: string | undefined, value: ts.Expression | undefined, holder: ts.Node) => {
      if (!name || !value) return;
      // Quoted keys that are paths, file names or sentences (`'docs/api-key/page.mdx'`) are not bindings.
      if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return;
      const lit = literalOf(value);
      if (!lit) return;
      let v = lit.text;
      const words = splitName(name);
      if (words.some((w) => DUMMY_NAME_WORDS.test(w))) return;
      let cls = classifyName(name, { hashIsSafe: true });
      if (/^(authorization|auth|proxy authorization)$/.test(words.join(' '))) {
        const m = /^(Bearer|Basic|Token|Bot|ApiKey)\s+(\S+)$/i.exec(v.trim());
        if (!m) return;
        v = m[2];
        cls = 'token';
      }
      if (cls !== 'password' && cls !== 'secret' && cls !== 'token' && cls !== 'key') return;
      if (words.includes('salt') || words.some((w) => /^(hash|hashed|digest|checksum|fingerprint|integrity|nonce|iv|example|format|pattern|regex|prefix|suffix|placeholder|label|message|error|text|title|description|selector|event|route|scope|scopes|audience|issuer|algorithm|alg|cipher|mode|encoding|kind|storage|cache|query|param|parameter|address|addr|contract)$/.test(w))) return;
      if (isFirebaseApiKey(name, holder)) return;
      if (containsKnownToken(v)) return; // secrets/known-token-format reports it, with the provider
      if (!looksLikeSecret(v, cls, t)) return;
      const hexOnly = /^(0x)?[0-9a-f]+$/i.test(v.trim());
      const testLike = isSecretsTestLike(context.isTestLike, context.fileName, context.project.root);
      if (testLike && hexOnly) return; // hash constants in tests
      if (testLike && cls === 'password') return; // test users' passwords are fixtures
      const severity: Severity = testLike ? 'info' : 'warning';
      const kind = cls === 'password' ? 'password' : cls === 'token' ? 'token' : cls === 'key' ? 'key' : 'secret';
      const envName = envNameFor(qualifiedName(name, holder), kind.toUpperCase());
      context.report({
        node: lit, severity,
        message: `\`${name}\` is assigned a random-looking literal (${maskSecret(v)}): a ${kind} written in the source is readable by everyone with the repository and its history; load it from the environment or a secrets manager, and rotate it if it was ever used.`,
        suggestions: v === lit.text && isReplaceableExpression(lit) ? [secretEnvSuggestion(lit, envName, context.project, `Read ${envName} from the environment with requireEnv(); rotate the exposed ${kind}`)] : [],
      });
    };

    return {
      nodes: {
        VariableDeclaration: (n) => {
          const d = n as ts.VariableDeclaration;
          if (ts.isIdentifier(d.name)) check(d.name.text, d.initializer, d);
        },
        PropertyAssignment: (n) => {
          const p = n as ts.PropertyAssignment;
          check(propertyName(p.name), p.initializer, p);
        },
        PropertyDeclaration: (n) => {
          const p = n as ts.PropertyDeclaration;
          check(propertyName(p.name), p.initializer, p);
        },
        Parameter: (n) => {
          const p = n as ts.ParameterDeclaration;
          if (ts.isIdentifier(p.name)) check(p.name.text, p.initializer, p);
        },
        BindingElement: (n) => {
          const b = n as ts.BindingElement;
          if (ts.isIdentifier(b.name)) check(b.name.text, b.initializer, b);
        },
        BinaryExpression: (n) => {
          const b = n as ts.BinaryExpression;
          if (b.operatorToken.kind !== SyntaxKind.EqualsToken) return;
          const l = skipOuter(b.left);
          const name = ts.isIdentifier(l) ? l.text : ts.isPropertyAccessExpression(l) ? l.name.text
            : ts.isElementAccessExpression(l) && ts.isStringLiteralLike(l.argumentExpression) ? l.argumentExpression.text : undefined;
          check(name, b.right, b);
        },
      },
    };
  },
});

/** The literal a value is: `'lit'`, `` `lit` ``, `Buffer.from('lit')`, `new TextEncoder().encode('lit')`. */
function literalOf(value: ts.Expression): ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | undefined {
  const e = skipOuter(value);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e;
  if (ts.isCallExpression(e) && e.arguments.length >= 1) {
    const callee = skipOuter(e.expression);
    const last = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (last !== 'from' && last !== 'encode' && last !== 'createSecretKey') return undefined;
    const text = callee.getText();
    if (text === 'Buffer.from' || /^new TextEncoder\(\)\.encode$/.test(text) || /\bcreateSecretKey$/.test(text)) {
      const a = skipOuter(e.arguments[0]);
      if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return a;
    }
  }
  return undefined;
}

/** Firebase web config: `apiKey` next to `authDomain`/`projectId`/`appId` is public by design. */
function isFirebaseApiKey(name: string, holder: ts.Node): boolean {
  if (name !== 'apiKey' || !ts.isPropertyAssignment(holder) || !ts.isObjectLiteralExpression(holder.parent)) return false;
  const names = new Set(holder.parent.properties.map((q) => propertyName(q.name) ?? ''));
  return CLIENT_CONFIG_KEYS.some((k) => names.has(k));
}

/** `jwt: { secret: … }` → `jwt_secret`: a generic one-word name takes its parent object's name as a prefix. */
function qualifiedName(name: string, holder: ts.Node): string {
  if (splitName(name).length > 1 || !ts.isPropertyAssignment(holder) || !ts.isObjectLiteralExpression(holder.parent)) return name;
  const owner = holder.parent.parent;
  const ownerName = owner && (ts.isPropertyAssignment(owner) ? propertyName(owner.name) : ts.isVariableDeclaration(owner) && ts.isIdentifier(owner.name) ? owner.name.text : undefined);
  return ownerName && !GENERIC_PARENTS.test(ownerName) ? `${ownerName}_${name}` : name;
}
