import ts = require('typescript');
import { defineRule, ReportDescriptor } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { missingArgReportNode } from '../../model/calls';
import { Value } from '../../model/constEval';
import { addOptionAt } from '../../model/edits';
import {
  algorithmFromMatchingSign, evaluateOptions, inferAlgorithm, jwtModuleConfigs, keyKind, majorVersion, moduleSubOptions, optionsArgument, VERIFY_CALLS,
} from '../../model/jwtApi';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/verify-without-algorithms',
    title: 'JWT verified without an algorithm allow-list',
    description: 'A verify call accepts whatever algorithm the key (or, in old libraries, the token header) allows: pin `algorithms`.',
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347, 327],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const check = (call: ResolvedCall) => {
      const spec = VERIFY_CALLS[call.symbol];
      const model = context.model;
      if (spec.library === 'hono') {
        if (call.args[2] !== undefined) return;
        const node = missingArgReportNode(call, 2);
        if (!node) return;
        // From hono 4.11.4 the argument is required by the types: the compiler reports it already.
        if (!/\.[cm]?jsx?$/.test(context.fileName)) return;
        context.report({
          node, severity: 'warning',
          message: 'hono `verify()` without an algorithm: hono 4.11.4+ throws at run time, older versions default to HS256 whatever the key (algorithm confusion).',
          suggestions: [{ title: "Pass the algorithm: 'HS256'", edits: [{ fileName: context.fileName, start: call.node.getEnd() - 1, end: call.node.getEnd() - 1, newText: ", 'HS256'" }] }],
        });
        return;
      }
      const slot = optionsArgument(call, spec)!;
      const opts = evaluateOptions(model, slot.expr);
      if (!lacksAlgorithms(opts)) return;
      if (spec.library === '@nestjs/jwt') {
        const modules = jwtModuleConfigs(context.project);
        // No visible JwtModule configuration: the defaults may live where we cannot see them.
        if (modules.length === 0) return;
        if (modules.some((m) => !moduleLacksVerifyAlgorithms(m.options))) return;
      }
      const reportNode = slot.expr && slot.expr.getSourceFile() === context.sourceFile ? slot.expr : missingArgReportNode(call, slot.index);
      if (!reportNode) return;
      const keyExpr = spec.key !== undefined ? call.args[spec.key] : undefined;
      const kind = keyKind(model, keyExpr);
      const major = spec.library === 'jsonwebtoken' ? majorVersion(context.project, 'jsonwebtoken', context.fileName) : undefined;
      let severity: ReportDescriptor['severity'] = 'warning';
      let why = 'the accepted algorithms are derived from the key, so any algorithm of that family is accepted';
      if (major !== undefined && major < 9) { severity = 'error'; why = `jsonwebtoken ${major}.x trusts the token header here (CVE-2022-23540/23541)`; }
      else if (spec.library === '@fastify/jwt' && kind === 'function') { severity = 'error'; why = 'a key resolver without a pinned list lets the token header choose the algorithm'; }
      if (context.isTestLike) severity = 'info';
      const alg = algorithmFromMatchingSign(context.project, keyExpr?.getText()) ?? inferAlgorithm(model, keyExpr);
      const suggestions = [];
      if (ts.isCallExpression(call.node) || ts.isNewExpression(call.node)) {
        const edit = !call.wrapper ? addOptionAt(call.node, slot.index, `algorithms: ['${alg ?? 'HS256'}']`) : undefined;
        if (edit) suggestions.push({ title: `Pin the accepted algorithms: algorithms: ['${alg ?? 'HS256'}']${alg ? '' : ' (check: no key or matching sign call told which)'}`, edits: [edit] });
      }
      context.report({
        node: reportNode, severity,
        message: `JWT verified without an \`algorithms\` allow-list: ${why}. Pin the algorithm your tokens are signed with.`,
        suggestions,
      });
    };
    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const sym of Object.keys(VERIFY_CALLS)) calls[sym] = check;
    return { calls };
  },
});

function lacksAlgorithms(opts: Value): boolean {
  if (opts.kind !== 'object') return false; // unresolvable options: cannot tell
  if (opts.props.has('algorithms')) return false;
  return !opts.hasUnknownSpread;
}

function moduleLacksVerifyAlgorithms(options: Value): boolean {
  return lacksAlgorithms(moduleSubOptions(options, 'verifyOptions'));
}
