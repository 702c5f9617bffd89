import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Markdown as sanitized HTML. Everyone in a room can type into the document, so its HTML
 * goes through DOMPurify before it reaches the page: no scripts, handlers or `javascript:`.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
