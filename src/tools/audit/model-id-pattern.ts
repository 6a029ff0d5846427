/**
 * What a model ID literal looks like. Candidates are anything starting `gemini-` or `nano-banana-` whose
 * dots sit only inside version numbers; the catalog then decides. The boundaries keep an ID glued to
 * other letters (`my` + ID), followed by `_` (ID + `_backup`) or by a file extension (ID + `.png`) from
 * matching, while an ID after `models/` or at the end of a sentence still matches.
 * (Examples stay out of this file on purpose: `imagegate audit` of this repository finds no model ID
 * outside the catalog, tests and docs.)
 */
export const modelIdCandidatePattern =
  /(?<![A-Za-z0-9_.-])(?:gemini|nano-banana)-[0-9a-z]+(?:-[0-9a-z]+|\.[0-9]+)*(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9])/g;

/**
 * Shaped like a Gemini model ID: a version number right after `gemini-`. This is what separates an
 * unknown but plausible model (`gemini-` + version + name, worth a look) from `gemini-api` or `gemini-cli`.
 */
export const geminiShapedIdPattern = /^gemini-[0-9]+(?:\.[0-9]+)*(?:-[0-9a-z]+(?:\.[0-9]+)*)*$/;

/** Substrings every candidate contains; files without either are skipped before any regex runs. */
export const prefilterNeedles: readonly string[] = ['gemini-', 'nano-banana-'];

export interface IdMatch {
  id: string;
  /** UTF-16 offset of the first character of the ID in the scanned text. */
  start: number;
  end: number;
}

/** Every candidate ID in `text[from, to)`, offsets relative to the whole text. */
export function findIdCandidates(text: string, from = 0, to = text.length): IdMatch[] {
  const pattern = new RegExp(modelIdCandidatePattern.source, 'g');
  const region = from === 0 && to === text.length ? text : text.slice(from, to);
  const matches: IdMatch[] = [];
  for (const match of region.matchAll(pattern)) {
    const start = from + match.index;
    matches.push({ id: match[0], start, end: start + match[0].length });
  }
  return matches;
}
