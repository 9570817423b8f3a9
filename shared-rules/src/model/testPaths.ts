import type { RuleContext } from '../engine/types';

/** Test-like paths are one engine fact (E11, `context.isTestLike`); kept as a name the rules already use. */
export function isTestishPath(context: RuleContext): boolean {
  return context.isTestLike;
}
