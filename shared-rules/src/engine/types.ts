import type * as ts from 'typescript';
import type { ResolvedCall } from '../model/calls';
import type { FileModel } from '../model/fileModel';
import type { Project } from './project';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export type ChecklistId =
  | 'authn-required' | 'object-authz' | 'response-schema' | 'ratelimit-auth' | 'ratelimit-resources'
  | 'input-validation' | 'jwt-payload' | 'api-keys' | 'https-hsts' | 'secrets' | 'jwt-verification'
  | 'oauth-flows' | 'security-headers';

export interface RuleMeta {
  /** `family/kebab-name`; also the docs page path. */
  id: string;
  title: string;
  /** One sentence for the rules table and the docs page header. */
  description: string;
  defaultSeverity: SeveritySetting;
  checklist: ChecklistId[];
  owasp: string[];
  cwe: number[];
  /** 'file' rules see one file; 'project' rules also get `projectEnd` once per scan. */
  scope: 'file' | 'project';
  /** True when the rule asks the type checker (none do yet: all resolution is syntactic). */
  needsTypes: boolean;
  /** Quick-fix kinds the rule can offer, for the rules table. */
  fixable: 'fix' | 'suggestion' | 'both' | 'none';
  /** Options with defaults; validated by the configuration reader. */
  options?: Record<string, { type: 'number' | 'string' | 'boolean' | 'string[]'; default: unknown; description: string }>;
  /**
   * Files the rule can report in (the engine skips `create()` and every visitor elsewhere). Leave it out unless the
   * rule provably reacts only to what these needles reveal.
   */
  relevance?: RuleRelevance | ((options: Record<string, unknown>) => RuleRelevance);
}

/** A literal of a relevance gate (see `RuleRelevance.anchors`). */
export interface Anchor {
  text: string;
  caseSensitive: boolean;
  /** Sticky RegExp matching right after the literal. */
  then?: RegExp;
  /** Sticky RegExp tested where the literal starts (a lookbehind: what must precede it). */
  before?: RegExp;
}

export interface RuleRelevance {
  /**
   * Needles (module specifiers or parts of them, e.g. `jsonwebtoken`, `@auth/`): the file is relevant when its text,
   * or the text of a project module it imports (relative imports followed two levels deep), contains one.
   */
  modules?: readonly string[];
  /** Needles looked for in the file's own text only (syntax the rule matches without any import, e.g. `JSON`). */
  mentions?: readonly string[];
  /**
   * Literals looked for in the file's own text in the same one pass as `words`, each counting only where its context
   * holds (sticky RegExps for what follows and what precedes it): an alternation of literal-led branches (provider
   * token prefixes, escape sequences, log-level methods) without running a pattern over the whole text.
   */
  anchors?: readonly Anchor[];
  /**
   * A pattern the file's own text matches wherever the rule can report: a necessary condition derived from what the
   * rule reacts to (e.g. every name the sensitive-name classifier accepts contains one of a few words). Share one
   * RegExp object between rules: the engine tests each pattern once per file text.
   */
  pattern?: RegExp;
  /**
   * Lower-case words looked for, case-insensitively, in the file's own text: every rule's words are found in one pass
   * over the file (see relevance.ts), so prefer them to an alternation in `pattern`.
   */
  words?: readonly string[];
  /**
   * Lower-case words that count only as whole words of a name (identifiers, property names and string contents split
   * as the sensitive-name classifier splits them, module specifiers left out): for short words that occur inside
   * other words (`pat` in `patch`, `pin` in `mapping`) where the classifier only accepts the whole word.
   */
  nameWords?: readonly string[];
  /**
   * Conditions that must all hold as well (each a relevance of its own): e.g. "a comparison operator" and "request
   * input or a key name". A relevance with only `all` is the conjunction.
   */
  all?: readonly RuleRelevance[];
  /** Alternatives: the file is relevant when one of these is (besides `words`, `pattern`, `mentions`, `modules`). */
  any?: readonly RuleRelevance[];
  /**
   * Word lists that must all be found below some module the file imports (that module, its imports, barrels), for
   * what cross-file evaluation can bring in: e.g. a function of an imported module returning a credential env var.
   */
  importsMention?: readonly (readonly string[])[];
}

/** Offsets are UTF-16 offsets into the file text, as TypeScript uses. */
export interface TextEdit { fileName: string; start: number; end: number; newText: string }

export interface CodeFix { title: string; edits: TextEdit[] }

export interface RelatedLocation { fileName: string; start: number; end: number; message: string }

export interface Finding {
  ruleId: string;
  severity: Severity;
  fileName: string;
  start: number;
  end: number;
  /** 0-based line/character of start and end, for shells that need them. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  docsUrl: string;
  /** Safe to apply without thought; may be preferred and used by "fix all". */
  fix?: CodeFix;
  /** Need judgment: shown, never preferred. */
  suggestions: CodeFix[];
  related: RelatedLocation[];
  /** Set when a suppression comment covers this finding; suppressed findings are counted, not shown. */
  suppressed?: { reason: string; line: number };
}

export interface ReportDescriptor {
  node: ts.Node;
  message: string;
  /** Overrides the rule's configured severity for this finding (confidence split, version facts). */
  severity?: Severity;
  fix?: CodeFix;
  suggestions?: CodeFix[];
  related?: { node: ts.Node; message: string }[];
  /** Report a sub-range of the file instead of the node (a token inside a comment, say); offsets into the file text. */
  range?: { start: number; end: number };
}

export interface RuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly fileName: string;
  readonly model: FileModel;
  readonly project: Project;
  /** Rule options merged over defaults. */
  readonly options: Record<string, unknown>;
  /** True for test/fixture/example paths (E11): secret-ish rules downgrade there. */
  readonly isTestLike: boolean;
  report(descriptor: ReportDescriptor): void;
  /** Project rules: records a per-file fact; `projectEnd` receives every file's facts. */
  addFact(fact: unknown): void;
}

/** A finding of a project rule, located by offsets (trees are not kept across files). */
export interface ProjectReport {
  fileName: string;
  start: number;
  end: number;
  message: string;
  severity?: Severity;
  fix?: CodeFix;
  suggestions?: CodeFix[];
}

export interface ProjectContext {
  readonly options: Record<string, unknown>;
  report(r: ProjectReport): void;
  /** Reads a workspace file's text (for line/column of a fact, or project files such as .gitignore). */
  readText(fileName: string): string | undefined;
  /** The workspace (root, dependencies, non-source files such as `.env`). */
  readonly project: Project;
}

export type NodeVisitor = (node: ts.Node) => void;

/** A node kind by name (`'CallExpression'`), as `ts.SyntaxKind` spells it. */
export type NodeKindName = keyof typeof ts.SyntaxKind;

export interface RuleVisitors {
  /** Called for every node of these kinds, in one shared walk. */
  /**
   * Visitors by node kind name (`CallExpression: (n) => …`): named keys keep these small objects cheap to create and
   * enumerate per file (numeric SyntaxKind keys would give each one an element store as long as the largest kind).
   */
  nodes?: Partial<Record<NodeKindName, NodeVisitor>>;
  /** Called for calls/`new` expressions whose callee resolves to one of these canonical symbols. */
  calls?: Record<string, (call: ResolvedCall) => void>;
  /** Called once after the walk. */
  fileEnd?: () => void;
}

export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): RuleVisitors;
  /** Project rules: called once per scan (and after each edit in the server) with every file's facts. */
  projectEnd?(facts: ReadonlyMap<string, readonly unknown[]>, context: ProjectContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export const DOCS_BASE_URL = 'https://github.com/api-warden/api-warden/blob/main/docs/rules/';
export function docsUrlFor(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
