import * as assert from 'node:assert/strict';
import { Needle, WordFinder } from '../../shared-rules/src/engine/wordFinder';

const words = (...t: string[]): Needle[] => t.map((text) => ({ text, caseSensitive: false }));
const found = (finder: WordFinder, needles: Needle[], text: string) => finder.find(text).map((i) => needles[i].text).sort();

describe('WordFinder (one-pass needle search for relevance)', () => {
  it('finds every needle that occurs, overlapping and nested ones included, each once', () => {
    const needles = words('pass', 'passphrase', 'phrase', 'sha', 'hash', 'key');
    const f = new WordFinder(needles);
    assert.deepEqual(found(f, needles, 'const passphraseHash = 1; const pass = 2;'), ['hash', 'pass', 'passphrase', 'phrase']);
    assert.deepEqual(found(f, needles, 'no needles here'), []);
    assert.deepEqual(found(f, needles, ''), []);
  });

  it('matches words case-insensitively, and case-sensitive needles only as written', () => {
    const needles: Needle[] = [{ text: 'token', caseSensitive: false }, { text: 'jwt', caseSensitive: true }, { text: 'JSON', caseSensitive: true }];
    const f = new WordFinder(needles);
    assert.deepEqual(found(f, needles, 'const ACCESS_TOKEN = process.env.JWT_SECRET; json'), ['token']);
    assert.deepEqual(found(f, needles, "import jwt from 'jsonwebtoken'; JSON.parse(x)"), ['JSON', 'jwt', 'token']); // 'token' inside 'jsonwebtoken'
  });

  it('agrees with a substring search on text with non-ASCII characters, digits and punctuation', () => {
    const needles: Needle[] = [...words('log-in', '2fa', 'connect-redis', 'sign_in', 'aa', 'aab'), { text: '@auth/', caseSensitive: true }];
    const f = new WordFinder(needles);
    const texts = ['Ünïcödé log-in ☃ 2FA', 'aaab', 'connect-redi connect-redis', "from '@auth/core'", "'@AUTH/core' SIGN_IN", 'a'.repeat(50) + 'b'];
    for (const t of texts) {
      const expected = needles.filter((n) => (n.caseSensitive ? t.includes(n.text) : t.toLowerCase().includes(n.text))).map((n) => n.text).sort();
      assert.deepEqual(found(f, needles, t), expected, t);
    }
  });

  it('refuses non-ASCII needles (they could not be folded like the text)', () => {
    assert.throws(() => new WordFinder(words('clé')), /non-ASCII/);
  });
});
