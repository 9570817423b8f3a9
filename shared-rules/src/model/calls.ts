import type * as ts from 'typescript';

/** A call or `new` whose callee resolved to a canonical library symbol, e.g. `jsonwebtoken.verify`. */
export interface ResolvedCall {
  /** Canonical symbol: `<module>.<export>` for functions, `<module>.<Class>#<method>` for instance methods. */
  symbol: string;
  /** The call site in the file being analysed. */
  node: ts.CallExpression | ts.NewExpression;
  /**
   * Effective arguments. For a call through a thin project wrapper these are the wrapper's arguments to the
   * library call, with the wrapper's parameters replaced by the call site's arguments.
   */
  args: (ts.Expression | undefined)[];
  /** Through a wrapper: for each library argument slot, the wrapper parameter index that feeds it. */
  wrapper?: { name: string; fileName: string; slotFromParam: (number | undefined)[] };
  /** Receiver of a method call (`this.jwtService` in `this.jwtService.verify(t)`). */
  receiver?: ts.Expression;
}

/**
 * Where to report "argument slot i is missing": the call itself, or nothing when the slot is fixed inside a
 * wrapper (the wrapper's own library call is reported where it is written).
 */
export function missingArgReportNode(call: ResolvedCall, i: number): ts.Node | undefined {
  if (!call.wrapper) return call.node;
  return call.wrapper.slotFromParam[i] !== undefined ? call.node : undefined;
}

/** True when a node belongs to the file of the call site (reports elsewhere are made by that file's analysis). */
export function isInCallSiteFile(call: ResolvedCall, node: ts.Node): boolean {
  return node.getSourceFile() === call.node.getSourceFile();
}
