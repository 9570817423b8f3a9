import ts = require('typescript');
import { maskSecret } from '../../engine/mask';
import { CodeFix, defineRule, Severity } from '../../engine/types';
import { envRead } from '../../model/constEval';
import { shannonEntropy } from '../../model/entropy';
import { skipOuter } from '../../model/imports';
import { isReplaceableExpression, isSecretsTestLike, secretEnvSuggestion } from '../../model/secretValues';
import { splitName } from '../../model/sensitiveNames';
import { siteAt } from '../../model/textSites';
import { EXTENSION_IDS, findKnownTokens, TokenMatch } from '../../model/tokenFormats';
import { TOKEN_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

const ROTATE = 'rotate the credential (deleting it from the code does not remove it from git history) and load it from the environment or a secrets manager';

export default defineRule({
  meta: {
    id: 'secrets/known-token-format',
    title: 'Provider credential with a recognisable format',
    description: 'An AWS, Stripe, GitHub, Slack, Google, OpenAI/Anthropic/SendGrid/Twilio/npm key, a PEM private key or a JWT is written in the source.',
    defaultSeverity: 'error',
    checklist: ['secrets'],
    owasp: ['API8'],
    cwe: [798],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: TOKEN_RELEVANCE,
    options: {
      extensions: { type: 'string[]', default: [...EXTENSION_IDS], description: `Optional provider patterns to use (${EXTENSION_IDS.join(', ')}).` },
    },
  },
  create(context) {
    const sf = context.sourceFile;
    const extensions = new Set((context.options.extensions as string[] | undefined) ?? EXTENSION_IDS);
    const reportedLiterals = new Set<ts.Node>();
    const testLike = isSecretsTestLike(context.isTestLike, context.fileName, context.project.root);
    const reportedComments = new Set<number>();

    const report = (m: TokenMatch, node: ts.Node, inComment: { start: number; end: number } | undefined) => {
      let severity: Severity = m.severity;
      let where = '';
      if (inComment) { severity = 'info'; where = ' in a comment'; }
      else if (testLike) severity = m.id === 'private-key' ? 'warning' : 'info';
      if (!inComment && m.id === 'google-api-key' && isClientConfig(node)) { severity = 'info'; where = ' in a client (Firebase-style) configuration, where it is public by design: restrict it by HTTP referrer and API'; }
      const what = `${m.label}${m.note ? ` (${m.note})` : ''} ${maskSecret(m.value)}`;
      const message = m.id === 'jwt'
        ? `A ${what} is hard-coded${where}: if it was issued by a real service it grants access until it expires; do not commit tokens, and ${ROTATE.replace('the credential', 'the signing key if it is a production token')}.`
        : `${what} is hard-coded${where}: ${ROTATE}.`;
      const suggestions: CodeFix[] = [];
      if (!inComment && m.id !== 'jwt') {
        const s = suggestion(node, m);
        if (s) suggestions.push(s);
      }
      context.report({ node, message, severity, suggestions, range: inComment });
    };

    const suggestion = (node: ts.Node, m: TokenMatch): CodeFix | undefined => {
      if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return undefined;
      const text = node.text.trim();
      const whole = m.id === 'private-key' ? /^-----BEGIN[^]*-----END[ A-Z0-9_-]*-----$/.test(text) : text === m.value;
      if (!whole || !isReplaceableExpression(node)) return undefined;
      // `process.env.X || '<token>'`: read X and fail fast instead.
      const p = node.parent;
      if (ts.isBinaryExpression(p) && p.right === node && (p.operatorToken.kind === SyntaxKind.BarBarToken || p.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
        const name = envRead(skipOuter(p.left));
        if (name) return secretEnvSuggestion(p, name, context.project, `Require ${name} from the environment (no hard-coded fallback); rotate the exposed credential`);
      }
      return secretEnvSuggestion(node, m.envName, context.project, `Read ${m.envName} from the environment with requireEnv(); rotate the exposed credential`);
    };

    return {
      nodes: {
        // AWS secret access keys have no prefix: recognised by the name they are assigned to.
        PropertyAssignment: (n) => checkAwsSecret((n as ts.PropertyAssignment).name, (n as ts.PropertyAssignment).initializer),
        VariableDeclaration: (n) => checkAwsSecret((n as ts.VariableDeclaration).name, (n as ts.VariableDeclaration).initializer),
      },
      fileEnd() {
        const text = sf.text;
        const matches = findKnownTokens(text, { extensions, twilioContext: /twilio/i.test(text) });
        for (const m of matches) {
          const site = siteAt(sf, m.start);
          if (site.kind === 'literal') {
            if (reportedLiterals.has(site.node)) continue;
            reportedLiterals.add(site.node);
            report(m, site.node, undefined);
          } else if (site.kind === 'comment') {
            if (reportedComments.has(site.start)) continue;
            reportedComments.add(site.start);
            report(m, sf, { start: m.start, end: m.end });
          }
        }
      },
    };

    function checkAwsSecret(name: ts.Node, init: ts.Expression | undefined): void {
      if (!init || !ts.isStringLiteralLike(init)) return;
      const n = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
      if (!n || !/secret access key$/.test(splitName(n).join(' '))) return;
      const v = init.text;
      if (!/^[A-Za-z0-9/+]{40}$/.test(v) || /EXAMPLE/i.test(v) || shannonEntropy(v) < 4.0) return;
      reportedLiterals.add(init);
      report({ id: 'aws-secret-access-key', label: 'AWS secret access key', envName: 'AWS_SECRET_ACCESS_KEY', value: v, start: init.getStart(sf), end: init.getEnd(), severity: 'error' }, init, undefined);
    }
  },
});

/** A Firebase-style web configuration (`apiKey` next to `authDomain`/`projectId`/`appId`): its API key is public. */
function isClientConfig(node: ts.Node): boolean {
  const p = node.parent;
  if (!p || !ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.parent)) return node.getSourceFile().statements.some((s) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === 'use client');
  const names = new Set(p.parent.properties.map((q) => (q.name && (ts.isIdentifier(q.name) || ts.isStringLiteral(q.name)) ? q.name.text : '')));
  return ['authDomain', 'projectId', 'appId', 'messagingSenderId', 'storageBucket', 'databaseURL', 'measurementId'].some((k) => names.has(k));
}
