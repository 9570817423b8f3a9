import ts = require('typescript');
import type { TextEdit } from '../engine/types';

/** Text edits that keep the file parsing: inserting and removing object properties and array elements. */

export function replaceNode(node: ts.Node, newText: string): TextEdit {
  const sf = node.getSourceFile();
  return { fileName: sf.fileName, start: node.getStart(sf), end: node.getEnd(), newText };
}

/** Adds `text` (e.g. `algorithms: ['HS256']`) as the last property of an object literal. */
export function addProperty(obj: ts.ObjectLiteralExpression, text: string): TextEdit {
  const sf = obj.getSourceFile();
  const props = obj.properties;
  if (props.length === 0) return { fileName: sf.fileName, start: obj.getStart(sf), end: obj.getEnd(), newText: `{ ${text} }` };
  const last = props[props.length - 1];
  const multiline = sf.getLineAndCharacterOfPosition(props[0].getStart(sf)).line !== sf.getLineAndCharacterOfPosition(obj.getStart(sf)).line;
  if (multiline) {
    const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(last.getStart(sf)).line];
    const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
    const hasTrailingComma = props.hasTrailingComma;
    return { fileName: sf.fileName, start: last.getEnd(), end: hasTrailingComma ? last.getEnd() + 1 : last.getEnd(), newText: `,\n${indent}${text}${hasTrailingComma ? ',' : ''}` };
  }
  return { fileName: sf.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${text}` };
}

/** Removes one element of a comma-separated list (property, array element, argument) with its comma. */
export function removeListElement(list: ts.NodeArray<ts.Node>, element: ts.Node): TextEdit {
  const sf = element.getSourceFile();
  const i = list.indexOf(element);
  if (list.length === 1) return { fileName: sf.fileName, start: element.getStart(sf), end: element.getEnd() + (list.hasTrailingComma ? 1 : 0), newText: '' };
  if (i < list.length - 1) {
    // up to the start of the next element, so its leading whitespace/newline is kept once
    return { fileName: sf.fileName, start: element.getStart(sf), end: list[i + 1].getStart(sf), newText: '' };
  }
  // last element: from the end of the previous one
  return { fileName: sf.fileName, start: list[i - 1].getEnd(), end: element.getEnd(), newText: '' };
}

/** Inserts a new argument at position `index` (before a trailing callback, say). */
export function insertArgument(call: ts.CallExpression | ts.NewExpression, index: number, text: string): TextEdit {
  const sf = call.getSourceFile();
  const args = call.arguments ?? ts.factory.createNodeArray();
  if (index < args.length) return { fileName: sf.fileName, start: args[index].getStart(sf), end: args[index].getStart(sf), newText: `${text}, ` };
  if (args.length === 0) {
    const close = call.getEnd() - 1; // the ')'
    return { fileName: sf.fileName, start: close, end: close, newText: text };
  }
  const last = args[args.length - 1];
  return { fileName: sf.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${text}` };
}

/** The object literal an options argument is, or undefined (identifiers are edited at the call site instead). */
export function asObjectLiteral(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!e) return undefined;
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return ts.isObjectLiteralExpression(x) ? x : undefined;
}

/**
 * Adds a property to the options passed at argument `index` of a call: into the literal when there is one,
 * as `{ ...opts, prop }` when the options are a variable (so literal types survive), or as a new argument.
 */
export function addOptionAt(call: ts.CallExpression | ts.NewExpression, index: number, text: string): TextEdit | undefined {
  const arg = call.arguments?.[index];
  if (!arg || isFunctionArg(arg)) return insertArgument(call, index, `{ ${text} }`);
  const lit = asObjectLiteral(arg);
  if (lit) return addProperty(lit, text);
  if (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg)) return replaceNode(arg, `{ ...${arg.getText()}, ${text} }`);
  return undefined;
}

export function isFunctionArg(e: ts.Expression): boolean {
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}
