/**
 * Finds which of a fixed set of needles occur in a text, in one pass over its characters (an Aho–Corasick automaton
 * with a full transition table over the ASCII characters the needles use). Every occurrence is seen, overlapping ones
 * included, so a needle inside another (`pass` in `passphrase`) is found too.
 *
 * Needles are matched case-insensitively (ASCII letters); one marked case-sensitive is confirmed against the text at
 * each case-insensitive hit, and one with a context counts only where it holds: `then` matching after the needle,
 * `before` (a lookbehind) where it starts. Relevance gates look up dozens of words and module names in every file of a workspace:
 * this is one table read per character instead of a regex alternation (plus a lower-cased copy) and a substring search
 * per name.
 */
export interface Needle {
  text: string;
  caseSensitive: boolean;
  /** A sticky RegExp that must match right after an occurrence for it to count (`ey` then 17 token characters). */
  then?: RegExp;
  /** A sticky RegExp tested where the occurrence starts, for what must come before it (a lookbehind: `(?<=\.\s*)`). */
  before?: RegExp;
}

export class WordFinder {
  /**
   * Transition table: row + class of the next character → next row (rows are state * classes), negated when that
   * state ends some needle (the start state, row 0, never does).
   */
  private readonly delta: Int32Array;
  /** Character class of each UTF-16 code unit (0: a character no needle contains). */
  private readonly classOf = new Uint8Array(65536);
  /** Needle indices that end at each state, by row (its own and its suffixes'). */
  private readonly outputs: number[][];

  constructor(private readonly needles: readonly Needle[]) {
    let classes = 1;
    for (const n of needles) {
      for (let i = 0; i < n.text.length; i++) {
        const c = fold(n.text.charCodeAt(i));
        if (c >= 128) throw new Error(`WordFinder: non-ASCII needle ${JSON.stringify(n.text)}`);
        if ((n.then && !n.then.sticky) || (n.before && !n.before.sticky)) throw new Error(`WordFinder: the context of ${JSON.stringify(n.text)} must be a sticky RegExp`);
        if (this.classOf[c] === 0) {
          this.classOf[c] = classes;
          if (c >= 97 && c <= 122) this.classOf[c - 32] = classes; // upper case folds onto lower case
          classes++;
        }
      }
    }

    // The trie, then failure links breadth-first, completing the transition table on the way.
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    needles.forEach((n, index) => {
      let s = 0;
      for (let i = 0; i < n.text.length; i++) {
        const k = this.classOf[fold(n.text.charCodeAt(i))];
        let next = children[s].get(k);
        if (next === undefined) { next = children.length; children.push(new Map()); ends.push([]); children[s].set(k, next); }
        s = next;
      }
      ends[s].push(index);
    });
    const states = children.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: (number[] | undefined)[] = new Array(states).fill(undefined);
    const queue: number[] = [];
    for (let k = 1; k < classes; k++) {
      const next = children[0].get(k);
      if (next !== undefined) { delta[k] = next; fail[next] = 0; queue.push(next); }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const own = [...ends[s], ...(outputs[fail[s]] ?? [])];
      outputs[s] = own.length ? own : undefined;
      for (let k = 1; k < classes; k++) {
        const next = children[s].get(k);
        if (next !== undefined) { fail[next] = delta[fail[s] * classes + k]; delta[s * classes + k] = next; queue.push(next); }
        else delta[s * classes + k] = delta[fail[s] * classes + k];
      }
    }
    // Stored as row offsets (state * classes), so the scan loop does one add per character, negated for states
    // that end a needle, so it does one sign test.
    for (let i = 0; i < delta.length; i++) delta[i] = outputs[delta[i]] ? -delta[i] * classes : delta[i] * classes;
    this.delta = delta;
    this.outputs = [];
    for (let s = 0; s < states; s++) if (outputs[s]) this.outputs[s * classes] = outputs[s]!;
  }

  /** Indices of the needles that occur in `text` (each once). */
  find(text: string): number[] {
    const { delta, classOf, outputs, needles } = this;
    const seen = new Uint8Array(needles.length);
    const found: number[] = [];
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      s = delta[s + classOf[text.charCodeAt(i)]];
      if (s >= 0) continue;
      s = -s;
      const out = outputs[s];
      for (let j = 0; j < out.length; j++) {
        const w = out[j];
        if (seen[w]) continue;
        const needle = needles[w];
        if (needle.caseSensitive && !text.startsWith(needle.text, i + 1 - needle.text.length)) continue;
        if (needle.then) { needle.then.lastIndex = i + 1; if (!needle.then.test(text)) continue; }
        if (needle.before) { needle.before.lastIndex = i + 1 - needle.text.length; if (!needle.before.test(text)) continue; }
        seen[w] = 1;
        found.push(w);
      }
    }
    return found;
  }
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
