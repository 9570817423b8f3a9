import ts = require('typescript');
import { defineRule, Severity } from '../../engine/types';
import { envRead, evaluate } from '../../model/constEval';
import { isPlaceholderValue } from '../../model/entropy';
import { skipOuter } from '../../model/imports';
import {
  connectionEnvName, findUriCredentials, isDevOrExampleHost, isReplaceableExpression, isSecretsTestLike, secretEnvSuggestion, UriCredentials,
} from '../../model/secretValues';
import { containsKnownToken } from '../../model/tokenFormats';
import { URI_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

/** Stands for a `${…}` span whose value is not a constant. */
const HOLE = '\u0000';
const DUMMY_PASSWORDS = /^(pass(word)?|passwd|pwd|secret|changeme|change_?me|admin|root|test|example|postgres|mysql|mongo|redis|guest|user|username|pw|p@ssw0rd|password\d{0,3}|pass\d{0,3}|123456|12345678|foobar|foo|bar|xxx+|mypassword|mysecretpassword|yourpassword|dbpass(word)?|secretpassword|demo)$/i;

export default defineRule({
  meta: {
    id: 'secrets/connection-string-credentials',
    title: 'Inline password in a connection URI',
    description: 'A database, cache, broker or HTTP URI carries a literal password (`postgres://user:pass@host`).',
    defaultSeverity: 'error',
    checklist: ['secrets'],
    owasp: ['API8'],
    cwe: [798, 259],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: URI_RELEVANCE,
  },
  create(context) {
    const check = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression) => {
      if (ts.isTemplateExpression(node) ? !node.getText().includes('://') : !node.text.includes('://')) return;
      const text = templateText(node);
      if (!text.includes('://') || !text.includes('@')) return;
      const found = findUriCredentials(text);
      const hit = found.find((c) => !c.password.includes(HOLE) && !isTemplateSyntax(c.password));
      if (!hit) return;
      if (containsKnownToken(hit.password)) return; // secrets/known-token-format names the provider
      const dummy = DUMMY_PASSWORDS.test(hit.password) || isPlaceholderValue(hit.password) || /^\*+$/.test(hit.password) || hit.password === hit.user;
      const devHost = isDevOrExampleHost(hit.host.includes(HOLE) ? '' : hit.host) || hit.host.includes(HOLE) && dummy;
      // `user:pass@host`, `username:password@hostname`: documentation, not a credential.
      if (dummy && /^(user(name)?|u|usr|login|name)?$/i.test(hit.user) && /^(host(name)?|server|example\.(com|org|net)|<.*>)$/i.test(hit.host)) return;
      let severity: Severity = 'error';
      let why = '';
      if (dummy && devHost) { severity = 'info'; why = ' (looks like local development credentials)'; }
      else if (devHost) { severity = 'info'; why = ' (local or example host)'; }
      else if (dummy) { severity = 'warning'; why = ' (the password looks like a default)'; }
      if (isSecretsTestLike(context.isTestLike, context.fileName, context.project.root)) severity = 'info';
      if (/^https?$/.test(hit.scheme) && (dummy || devHost)) return; // documentation-style http examples
      const host = hit.host.includes(HOLE) ? '<computed host>' : hit.host;
      const envName = connectionEnvName(hit.scheme);
      const message = `\`${hit.scheme}://\` URI with an inline password (${hit.password.length} chars) for ${host}${why}: anyone with the repository can connect; move the whole URI to ${envName} and rotate the password.`;
      context.report({ node, severity, message, suggestions: suggestionsFor(node, hit, text, envName) });
    };

    const suggestionsFor = (node: ts.Expression, hit: UriCredentials, text: string, envName: string) => {
      if (hit.start !== 0 || !/^[^\s'"`]*$/.test(text.slice(hit.end)) || text.includes(HOLE) || !isReplaceableExpression(node)) return [];
      const p = node.parent;
      if (ts.isBinaryExpression(p) && p.right === node && (p.operatorToken.kind === SyntaxKind.BarBarToken || p.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
        const name = envRead(skipOuter(p.left));
        if (name) return [secretEnvSuggestion(p, name, context.project, `Require ${name} from the environment (no hard-coded fallback); rotate the password`)];
      }
      return [secretEnvSuggestion(node, envName, context.project, `Read ${envName} from the environment with requireEnv(); rotate the password`)];
    };

    const templateText = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string => {
      if (!ts.isTemplateExpression(node)) return node.text;
      let s = node.head.text;
      for (const span of node.templateSpans) {
        const v = evaluate(context.model, span.expression);
        s += (v.kind === 'string' || v.kind === 'number' ? String(v.value) : HOLE) + span.literal.text;
      }
      return s;
    };

    return {
      nodes: {
        StringLiteral: (n) => check(n as ts.StringLiteral),
        NoSubstitutionTemplateLiteral: (n) => check(n as ts.NoSubstitutionTemplateLiteral),
        TemplateExpression: (n) => check(n as ts.TemplateExpression),
      },
    };
  },
});

/** `<password>`, `{password}`, `$PASSWORD`, `%s`, `:password`: placeholders of docs and format strings. */
function isTemplateSyntax(p: string): boolean {
  return /^[<{[$%:]|[>}\]]$|^%[sd]$|\{\{|\$\{/.test(p);
}
