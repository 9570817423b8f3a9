import ts = require('typescript');
import { defineRule } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { envRead } from '../../model/constEval';
import { isCredentialName } from '../../model/sensitiveNames';
import { CREDENTIAL_NAMES } from '../../model/textGates';

/** Secrets-manager clients (RULES.md `secrets/no-secrets-manager`): any of them in imports or dependencies is enough. */
export const SECRETS_MANAGER_MODULES = [
  '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', 'aws-sdk/clients/secretsmanager', 'aws-sdk/clients/ssm',
  '@aws-lambda-powertools/parameters', '@google-cloud/secret-manager', '@azure/keyvault-secrets', 'node-vault', 'hashi-vault-js',
  '@infisical/sdk', '@dopplerhq/node-sdk', '@1password/sdk', '@1password/connect', '@bitwarden/sdk-napi',
];

type Fact = { kind: 'env'; name: string; start: number; end: number } | { kind: 'manager'; what: string };

export default defineRule({
  meta: {
    id: 'secrets/no-secrets-manager',
    title: 'Secrets only come from plain environment variables',
    description: 'Advisory: secret-named values are read from the environment and no secrets-manager client is used anywhere in the workspace.',
    defaultSeverity: 'off',
    checklist: ['secrets'],
    owasp: ['API8'],
    cwe: [522],
    scope: 'project',
    needsTypes: false,
    fixable: 'none',
    relevance: { ...CREDENTIAL_NAMES, mentions: ['/run/secrets/', ...SECRETS_MANAGER_MODULES] },
    options: {
      injectedByPlatform: { type: 'boolean', default: false, description: 'Secrets are injected by the platform from a secrets manager (Vercel, ECS task definitions, Cloud Run…): stay silent.' },
    },
  },
  create(context) {
    let envFacts = 0;
    const onEnv = (node: ts.Node, name: string | undefined) => {
      if (!name || context.isTestLike || envFacts >= 20 || !isCredentialName(name)) return;
      envFacts++;
      context.addFact({ kind: 'env', name, start: node.getStart(), end: node.getEnd() } satisfies Fact);
    };
    const onAccess = (n: ts.Node) => {
      const x = (n as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
      if (ts.isPropertyAccessExpression(x) && x.name.text === 'env') onEnv(n, envRead(n as ts.Expression));
    };
    const onConfigGet = (c: ResolvedCall) => {
      const a = c.node.arguments?.[0];
      if (a && ts.isStringLiteralLike(a)) onEnv(c.node, a.text);
    };
    return {
      nodes: {
        PropertyAccessExpression: onAccess,
        ElementAccessExpression: onAccess,
        StringLiteral: (n) => {
          // Docker / Kubernetes secret files: readFileSync('/run/secrets/jwt_secret')
          if (/^\/(var\/)?run\/secrets\//.test((n as ts.StringLiteral).text)) context.addFact({ kind: 'manager', what: 'secret files' } satisfies Fact);
        },
      },
      calls: { '@nestjs/config.ConfigService#get': onConfigGet, '@nestjs/config.ConfigService#getOrThrow': onConfigGet },
      fileEnd() {
        const mods = context.model.importedModules();
        for (const m of SECRETS_MANAGER_MODULES) if (mods.has(m)) context.addFact({ kind: 'manager', what: m } satisfies Fact);
      },
    };
  },
  projectEnd(facts, context) {
    if (context.options.injectedByPlatform === true) return;
    if (SECRETS_MANAGER_MODULES.some((m) => context.project.hasDependency(m))) return;
    const envReads: { file: string; fact: Extract<Fact, { kind: 'env' }> }[] = [];
    for (const [file, list] of [...facts].sort((a, b) => a[0].localeCompare(b[0]))) {
      for (const f of list as Fact[]) {
        if (f.kind === 'manager') return;
        envReads.push({ file, fact: f });
      }
    }
    if (envReads.length === 0) return;
    const names = [...new Set(envReads.map((e) => e.fact.name))];
    const first = envReads[0];
    context.report({
      fileName: first.file, start: first.fact.start, end: first.fact.end, severity: 'info',
      message: `Secrets (${names.slice(0, 4).join(', ')}${names.length > 4 ? `, +${names.length - 4} more` : ''}) come only from plain environment variables and no secrets-manager client is used: environment variables deliver secrets but give no rotation, audit or access policy (checklist "secrets"). Load them from a secrets manager, or set injectedByPlatform if the platform already does.`,
    });
  },
});
