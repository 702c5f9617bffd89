/**
 * Breaks text into lines of at most `maxChars` characters: at its own line breaks, then
 * between words, and inside a word only when it alone is longer than a line. Character
 * counts stand in for widths (SVG text has no wrapping of its own, and exports must wrap the
 * same way in every browser), so a line is measured at about 0.55 em a character.
 */
export function wrapText(text: string, maxChars: number): string[] {
  const width = Math.max(1, Math.floor(maxChars));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      let rest = word;
      while (rest.length > width) {
        if (line) lines.push(line);
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
        line = '';
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** How many characters of a font of `fontSize` fit in `width`, at about 0.55 em each. */
export function charsThatFit(width: number, fontSize: number): number {
  return Math.max(1, Math.floor(width / (fontSize * 0.55)));
}

/**
 * The lines that fit in `maxLines`; when some do not, the last one shown ends with an
 * ellipsis, so a cut is visible.
 */
export function fitLines(lines: readonly string[], maxLines: number, maxChars: number): string[] {
  const count = Math.max(1, Math.floor(maxLines));
  if (lines.length <= count) return [...lines];
  const shown = lines.slice(0, count);
  const last = shown[count - 1]!;
  shown[count - 1] = `${last.slice(0, Math.max(0, Math.floor(maxChars) - 1))}…`;
  return shown;
}
