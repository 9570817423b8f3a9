import * as path from 'node:path';
import { isTestLikePath } from '../../engine/analyze';
import { CodeFix, defineRule, ProjectContext, Severity } from '../../engine/types';
import {
  isConventionDefaultsFile, isEnvFileName, isLocalEnvFile, isTestEnvFile, parseDotenv, secretKeys, valuedKeys,
} from '../../model/envFiles';
import { gitFacts } from '../../model/git';
import { GitignoreMatcher } from '../../model/gitignore';
import { NO_FILE_WORK } from '../../model/textGates';

/**
 * Project rule: the engine walks TS/JS files only, so this rule lists `.env*` files itself (Project.listFilesNamed)
 * once per scan, asks git whether each is tracked or ignored (falling back to parsing `.gitignore` files), and reports
 * on the `.env` file's first line. The fix appends the exact pattern to the workspace's root `.gitignore`.
 */
export default defineRule({
  meta: {
    id: 'secrets/env-file-not-ignored',
    title: '.env file tracked by git or not git-ignored',
    description: 'A `.env` file (not a `.env.example` template) is committed, or would be by the next `git add .`, with the secrets it holds.',
    defaultSeverity: 'error',
    checklist: ['secrets'],
    owasp: ['API8'],
    cwe: [538, 540],
    scope: 'project',
    needsTypes: false,
    fixable: 'fix',
    relevance: NO_FILE_WORK,
  },
  create() {
    return {};
  },
  projectEnd(_facts, context) {
    const project = context.project;
    const root = path.resolve(project.root);
    const files = project.listFilesNamed('secrets/env-files', isEnvFileName);
    if (files.length === 0) return;
    const git = gitFacts(root, files);
    const matcher = new GitignoreMatcher(root, (f) => context.readText(f));
    for (const file of files) {
      const tracked = git ? git.tracked.has(file) : false;
      const ignored = git ? git.ignored.has(file) : matcher.isIgnored(file);
      if (!tracked && ignored) continue;
      judge(file, tracked, !!git, context, matcher, root);
    }
  },
});

function judge(file: string, tracked: boolean, viaGit: boolean, context: ProjectContext, matcher: GitignoreMatcher, root: string): void {
  const text = context.readText(file);
  if (text === undefined) return;
  const base = path.basename(file);
  const rel = path.relative(root, file).split(path.sep).join('/');
  const entries = parseDotenv(text);
  const secrets = secretKeys(entries);
  const valued = valuedKeys(entries);
  const project = context.project;
  const framework = ['next', 'vite', 'nuxt', '@sveltejs/kit', 'astro'].find((d) => project.hasDependency(d, file));
  const names = secrets.length ? ` (${secrets.slice(0, 3).join(', ')}${secrets.length > 3 ? `, +${secrets.length - 3} more` : ''})` : '';
  let severity: Severity;
  let message: string;
  if (framework && isConventionDefaultsFile(base) && secrets.length === 0) return; // committed defaults by convention
  if (secrets.length > 0) {
    severity = tracked ? 'error' : 'warning';
    message = tracked
      ? `\`${rel}\` is tracked by git and holds secrets${names}: everyone with the repository and its history has them; rotate them, run \`git rm --cached ${rel}\` and ignore the file.`
      : `\`${rel}\` holds secrets${names} and is not git-ignored${viaGit ? '' : ' (judged from .gitignore: no git work tree)'}: the next \`git add .\` commits them; ignore it.`;
  } else if (framework && isLocalEnvFile(base) && valued.length > 0) {
    severity = tracked ? 'error' : 'warning';
    message = `\`${rel}\` is ${tracked ? 'tracked by git' : 'not git-ignored'}, but ${framework} projects keep secrets in \`.env*.local\` files, which must not be committed; ${tracked ? `run \`git rm --cached ${rel}\` and ` : ''}ignore it.`;
  } else {
    severity = 'info';
    message = tracked
      ? `\`${rel}\` is tracked by git; it holds no secret-named values now, but secrets added later will be committed; ignore it and commit a \`.env.example\` instead.`
      : `\`${rel}\` is not git-ignored; it holds no secret-named values now, but secrets added later would be committed; ignore it.`;
  }
  // Test configuration (`.env.test`, files under test/fixture folders) holds test material: info at most (E11).
  if (isTestEnvFile(base) || isTestLikePath(file, root)) {
    severity = 'info';
    message = message.replace(/: /, ' (test configuration): ');
  }
  const firstLineEnd = text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length;
  const fix = gitignoreFix(file, rel, base, !!framework, tracked, context, matcher, root);
  context.report({ fileName: file, start: 0, end: firstLineEnd, severity, message, fix });
}

/** Appends the pattern that covers only this file (or `.env*.local` in Next.js/Vite projects) to the root `.gitignore`. */
function gitignoreFix(file: string, rel: string, base: string, framework: boolean, tracked: boolean, context: ProjectContext,
  matcher: GitignoreMatcher, root: string): CodeFix | undefined {
  if (matcher.isIgnored(file)) return undefined; // already ignored: only `git rm --cached` helps
  const pattern = framework && isLocalEnvFile(base) ? '.env*.local' : rel === base ? base : `/${rel}`;
  const gitignore = path.join(root, '.gitignore');
  const current = context.readText(gitignore);
  if (current !== undefined && current.split(/\r?\n/).some((l) => l.trim() === pattern)) return undefined;
  if (!matcher.isIgnored(file, pattern)) return undefined;
  const text = current ?? '';
  const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return {
    title: `Add "${pattern}" to .gitignore${tracked ? ` (then run git rm --cached ${rel} and rotate its secrets)` : ''}`,
    edits: [{ fileName: gitignore, start: text.length, end: text.length, newText: `${sep}${pattern}\n` }],
  };
}
