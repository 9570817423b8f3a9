import { allRules, ConfigProblem, loadConfigFile, parseConfig, WardenConfig } from '../../shared-rules/src';

/** The editor settings section `apiWarden` (contributed in package.json; the same schema as `.apiwarden.json`). */
export interface EditorSettings {
  enable?: boolean;
  rules?: Record<string, unknown>;
  ignore?: string[];
}

export interface ResolvedSettings {
  enable: boolean;
  config: WardenConfig;
  problems: ConfigProblem[];
}

/**
 * `.apiwarden.json` / package.json `apiWarden` of the workspace first, then the editor's settings on top (rule by
 * rule). Every problem names the key that is wrong; valid parts still apply.
 */
export function resolveSettings(root: string, editor: EditorSettings | undefined): ResolvedSettings {
  const file = loadConfigFile(root, allRules);
  const problems = file.problems.map((p) => ({ key: file.source?.endsWith('package.json') ? p.key : `.apiwarden.json: ${p.key}`, message: p.message }));
  const config = file.config;
  let enable = true;
  if (editor && typeof editor === 'object') {
    if (editor.enable !== undefined) {
      if (typeof editor.enable === 'boolean') enable = editor.enable;
      else problems.push({ key: 'apiWarden.enable', message: 'must be true or false' });
    }
    const raw: Record<string, unknown> = {};
    if (editor.rules !== undefined && editor.rules !== null) raw.rules = editor.rules;
    if (editor.ignore !== undefined && editor.ignore !== null) raw.ignore = editor.ignore;
    if (Object.keys(raw).length) {
      const fromEditor = parseConfig(raw, allRules, 'apiWarden');
      for (const p of fromEditor.problems) problems.push({ key: `apiWarden.${p.key}`, message: p.message });
      const overridden = new Set(Object.keys((raw.rules as object) ?? {}));
      for (const id of overridden) if (fromEditor.config.rules[id]) config.rules[id] = fromEditor.config.rules[id];
      if (raw.ignore && Array.isArray(raw.ignore)) config.ignore = [...config.ignore, ...fromEditor.config.ignore];
    }
  }
  return { enable, config, problems };
}
