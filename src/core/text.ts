/**
 * Look-alike letters in labels. A label copied through OCR or from another document can carry Cyrillic
 * or Greek letters inside a Swedish word (S1's personnel table prints "deltidсанställning" with
 * U+0441 U+0430 U+043D for "san", shared/DOMAIN.md §1.5). They look right on screen but make a label
 * differ from the same label typed by hand, so matching folds them to Latin letters and the checks name
 * the cell.
 *
 * The folding follows the Latin letter the seed's slip stands for (с → s, н → n: the transliteration),
 * which for most letters is also the letter it looks like (а, е, о, к, м, т).
 */

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "j", к: "k",
  л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "h", ц: "c",
  ч: "ch", ш: "sh", щ: "sh", ы: "y", э: "e", ю: "ju", я: "ja", і: "i", ј: "j", ѕ: "s", ү: "u",
}; // prettier-ignore

const GREEK: Record<string, string> = {
  α: "a", β: "b", ε: "e", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x",
}; // prettier-ignore

/** What the letters look like (с → c, н → h, р → p), for text where a look-alike stood in for a Latin letter. */
const VISUAL: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", з: "3", и: "u", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t",
  у: "y", х: "x", і: "i", ј: "j", ѕ: "s", α: "a", ε: "e", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t",
  υ: "u", χ: "x",
}; // prettier-ignore

const FOREIGN = /[\u0370-\u03ff\u0400-\u04ff]/u;

function foldChar(ch: string, visual = false): string {
  const lower = ch.toLowerCase();
  const latin = visual ? VISUAL[lower] : (CYRILLIC[lower] ?? GREEK[lower]);
  if (latin === undefined) return ch;
  return ch === lower ? latin : latin.toUpperCase();
}

/**
 * The text with Cyrillic and Greek letters replaced by Latin ones ("deltidсанställning" →
 * "deltidsanställning"); `visual`: by the Latin letter each looks like ("plaсeringar" → "placeringar").
 */
export function foldLookAlikes(text: string, visual = false): string {
  return FOREIGN.test(text) ? Array.from(text, (ch) => foldChar(ch, visual)).join("") : text;
}

export interface LookAlike {
  /** The word as written. */
  word: string;
  /** The same word with Latin letters. */
  folded: string;
  /** The foreign letters, each as "с (U+0441)". */
  letters: string[];
}

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Words that mix Latin letters with Cyrillic or Greek ones. A word written wholly in another alphabet is
 * left alone: that is a foreign word, not a slip.
 */
export function findLookAlikes(text: string): LookAlike[] {
  if (!FOREIGN.test(text)) return [];
  const out: LookAlike[] = [];
  for (const word of text.split(/[^\p{L}]+/u)) {
    if (!FOREIGN.test(word) || !/[a-zåäöéü]/iu.test(word)) continue;
    const letters = [...new Set(Array.from(word).filter((ch) => FOREIGN.test(ch)))];
    out.push({ word, folded: foldLookAlikes(word), letters: letters.map((ch) => `${ch} (${hex(ch)})`) });
  }
  return out;
}
