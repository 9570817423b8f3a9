import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import { evaluate, possibilities, propValue } from '../../model/constEval';
import { removeListElement, replaceNode } from '../../model/edits';
import { skipOuter } from '../../model/imports';
import { isAsymmetricAlg, isSymmetricAlg } from '../../model/jwtApi';
import {
  algorithmsArrayLiteral, algorithmValues, ExprIn, jsonwebtokenMajor, JwtVerifySite, optionEntry, siteKeyKind, usesJsonwebtoken, verifySiteVisitors,
} from '../../model/jwtSites';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/hmac-with-public-key',
    title: 'Algorithm confusion: HMAC allowed with asymmetric key material',
    description: 'HS* is accepted with a public key (which attackers know) as the secret, or one list mixes HMAC and asymmetric algorithms.',
    defaultSeverity: 'error',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347, 327],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
  },
  create(context) {
    const sf = context.sourceFile;
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === sf;

    const onSite = (site: JwtVerifySite) => {
      if (site.library === 'jose') return;
      checkAllowInvalid(site);
      const algSource = site.algArg ? { value: evaluate(context.model, site.algArg), node: site.algArg } : undefined;
      const entry = optionEntry(site, site.algorithmsKey);
      const algValue = algSource ? algSource.value : propValue(site.options, site.algorithmsKey);
      const algs = algorithmValues(algValue);
      const hs = algs.filter((a) => isSymmetricAlg(a.value));
      if (hs.length === 0) return;
      const asym = algs.filter((a) => isAsymmetricAlg(a.value));
      const kind = siteKeyKind(site);
      const publicKey = kind === 'public' || kind === 'jwks';
      if (!publicKey && asym.length === 0) return;

      const { severity, libraryNote } = severityFor(site);
      const reportNode = inFile(hs[0].node) ? hs[0].node : inFile(site.optionsExpr) ? site.optionsExpr : site.node;
      const arr = algSource ? undefined : algorithmsArrayLiteral(entry);
      const editable = arr && inFile(arr) && [...hs, ...asym].every((a) => a.node.parent === arr) ? arr : undefined;
      const keep = (pred: (s: string) => boolean) => editable && replaceNode(editable, `[${editable.elements.filter((e) => {
        const v = evaluate(context.model, e);
        return !(v.kind === 'string' && !pred(v.value));
      }).map((e) => e.getText(sf)).join(', ')}]`);
      let fix: CodeFix | undefined;
      const suggestions: CodeFix[] = [];

      if (publicKey) {
        const certain = kind === 'jwks' || (site.key !== undefined && certainlyAsymmetric(site.key));
        const what = kind === 'jwks' ? 'keys from a JWKS' : 'a public key';
        if (asym.length > 0) {
          const edit = keep((s) => !isSymmetricAlg(s));
          const action = edit && { title: `Remove the HMAC algorithms (${hs.map((h) => h.value).join(', ')}): the key is asymmetric`, edits: [edit] };
          if (action && certain) fix = action; else if (action) suggestions.push(action);
        } else if (editable && hs.length === 1) {
          suggestions.push({ title: `Verify with RS256 instead of ${hs[0].value} (check the algorithm your issuer signs with)`, edits: [replaceNode(hs[0].node, `'RS256'`)] });
        } else if (!editable && hs.length === 1 && inFile(hs[0].node) && ts.isStringLiteralLike(hs[0].node)) {
          suggestions.push({ title: `Verify with RS256 instead of ${hs[0].value} (check the algorithm your issuer signs with)`, edits: [replaceNode(hs[0].node, `'RS256'`)] });
        }
        context.report({
          node: reportNode, severity, fix, suggestions,
          message: `${hs[0].value} (HMAC) is accepted with ${what} as the secret: ${libraryNote ?? 'anyone who knows the public key can forge HMAC tokens (algorithm confusion)'}.`,
        });
        return;
      }
      // Case 2: one list mixes HMAC and asymmetric algorithms.
      const dropAsym = keep((s) => !isAsymmetricAlg(s));
      const dropHs = keep((s) => !isSymmetricAlg(s));
      if (kind === 'secret' && dropAsym) suggestions.push({ title: 'Keep only the HMAC algorithms (the key is a shared secret)', edits: [dropAsym] });
      else if (kind !== 'secret') {
        if (dropHs) suggestions.push({ title: 'Keep only the asymmetric algorithms (for public keys / JWKS)', edits: [dropHs] });
        if (dropAsym) suggestions.push({ title: 'Keep only the HMAC algorithms (for a shared secret)', edits: [dropAsym] });
      }
      context.report({
        node: reportNode, severity, suggestions,
        message: `The accepted algorithms mix HMAC (${hs.map((h) => h.value).join(', ')}) and asymmetric (${asym.map((a) => a.value).join(', ')}) algorithms: ${kind === 'function' ? 'with a key resolver, ' : ''}${libraryNote ?? 'a token can pick HMAC and be checked with public key material as the secret (algorithm confusion)'}.`,
      });
    };

    const checkAllowInvalid = (site: JwtVerifySite) => {
      if (!usesJsonwebtoken(site.library)) return;
      const e = optionEntry(site, 'allowInvalidAsymmetricKeyTypes');
      if (!e?.valueNode) return;
      const v = evaluate(e.model, e.valueNode);
      if (!possibilities(v).some((p) => p.kind === 'boolean' && p.value)) return;
      const suggestions: CodeFix[] = inFile(e.node) && ts.isObjectLiteralExpression(e.node.parent)
        ? [{ title: 'Remove allowInvalidAsymmetricKeyTypes (keys of the wrong type are then rejected)', edits: [removeListElement(e.node.parent.properties, e.node)] }] : [];
      context.report({
        node: inFile(e.node) ? e.node : site.node, severity: 'info', suggestions,
        message: '`allowInvalidAsymmetricKeyTypes: true` turns off the key-type and curve checks for RS/PS/ES algorithms; it does not re-enable HMAC with public keys, but it hides keys of the wrong type.',
      });
    };

    const severityFor = (site: JwtVerifySite): { severity: Severity; libraryNote?: string } => {
      if (usesJsonwebtoken(site.library)) {
        const major = jsonwebtokenMajor(context.project, site, context.fileName);
        if (major !== undefined && major >= 9) {
          return { severity: 'warning', libraryNote: 'jsonwebtoken 9 rejects HMAC with non-secret keys, so such tokens simply fail, but the configuration is wrong and unsafe on older versions or other libraries' };
        }
      }
      return { severity: 'error' };
    };

    return verifySiteVisitors(context, onSite);
  },
});

/** A PEM public key or certificate literal, `createPublicKey(...)`, jose `importSPKI/importX509`, a JWKS helper. */
function certainlyAsymmetric(key: ExprIn): boolean {
  const e = skipOuter(key.expr);
  const v = evaluate(key.model, e);
  if (v.kind === 'string') return /-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(v.value);
  const sym = v.kind === 'unknown' ? v.symbol ?? '' : '';
  return /^crypto\.createPublicKey$|^jose\.import(SPKI|X509)$|^jwks-rsa\.(expressJwtSecret|koaJwtSecret|passportJwtSecret)$|^jose\.create(Remote|Local)JWKSet$/.test(sym);
}
