import * as path from 'node:path';
import type { RuleContext } from '../engine/types';

/**
 * Test-like paths beyond the engine's E11 list: test folders with a prefix or suffix (`integration-tests/`,
 * `api-tests/`, `test-utils/`, `test-d/`, `e2e-tests/`) and `testing/` folders. Secret and token rules downgrade
 * there as in E11.
 */
const EXTRA = /(^|[\\/])([\w.-]*[-_.](tests?|specs?|e2e|fixtures?)|(tests?|specs?|integration|e2e)[-_.][\w.-]*|testing)[\\/]/i;

export function isTestishPath(context: RuleContext): boolean {
  if (context.isTestLike) return true;
  const root = context.project.root;
  const rel = root && context.fileName.startsWith(root) ? path.relative(root, context.fileName) : context.fileName;
  return EXTRA.test(rel);
}
