/** Files over this size are skipped (generated bundles, vendored code). */
export const MAX_FILE_BYTES = 1_000_000;

/** Why a file should not be analysed, or undefined when it should. */
export function skipReason(fileName: string, content: string | Buffer): string | undefined {
  const size = typeof content === 'string' ? content.length : content.length;
  if (size > MAX_FILE_BYTES) return `skipped: file is ${Math.round(size / 1024)} KiB, over the ${MAX_FILE_BYTES / 1000} kB limit`;
  const sample = typeof content === 'string' ? content.slice(0, 8000) : content.subarray(0, 8000).toString('latin1');
  if (sample.includes('\u0000')) return 'skipped: binary content (NUL bytes)';
  if (/\.min\.[cm]?js$/i.test(fileName)) return 'skipped: minified file (.min.js)';
  if (size <= 5000) return undefined;
  const text = typeof content === 'string' ? content : content.toString('utf8', 0, Math.min(content.length, 200_000));
  const lines = text.split('\n');
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  if (text.length > 5000 && longest > 2000 && text.length / lines.length > 500) return 'skipped: looks minified (very long lines)';
  return undefined;
}
