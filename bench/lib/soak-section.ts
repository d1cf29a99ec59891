/**
 * The soak's section of BENCHMARKS.md, between two markers: `npm run soak -- --markdown` writes it,
 * and `npm run bench`, which writes the rest of the file, keeps it.
 */
import { existsSync, readFileSync } from 'node:fs';

export const SOAK_BEGIN = '<!-- soak: written by npm run soak -->';
export const SOAK_END = '<!-- /soak -->';

/** `markdown` with its soak section replaced by `section` (or added at the end). */
export function withSoakSection(markdown: string, section: string): string {
  const begin = markdown.indexOf(SOAK_BEGIN);
  const end = markdown.indexOf(SOAK_END);
  if (begin < 0 || end < begin) return `${markdown.trimEnd()}\n\n${section}`;
  return `${markdown.slice(0, begin)}${section.trimEnd()}${markdown.slice(end + SOAK_END.length)}`;
}

/** The soak section of `markdown`, markers included, or '' when it has none. */
export function soakSectionOf(markdown: string): string {
  const begin = markdown.indexOf(SOAK_BEGIN);
  const end = markdown.indexOf(SOAK_END);
  return begin < 0 || end < begin ? '' : `${markdown.slice(begin, end + SOAK_END.length)}\n`;
}

/** The report `markdown` about to replace the file at `path`, with that file's soak section kept. */
export function keepingSoakSection(path: string, markdown: string): string {
  const section = existsSync(path) ? soakSectionOf(readFileSync(path, 'utf8')) : '';
  return section ? withSoakSection(markdown, section) : markdown;
}
