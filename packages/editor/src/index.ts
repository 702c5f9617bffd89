import { XmppEditor } from './XmppEditor.js';

export { XmppEditor, CONTENT, DOC_PREFIX } from './XmppEditor.js';
export { DocumentIndex, INDEX_DOC, isDocumentName } from './documents.js';
export { renderMarkdown } from './preview.js';

declare global {
  interface HTMLElementTagNameMap {
    'xmpp-editor': XmppEditor;
  }
}

if (!customElements.get('xmpp-editor')) customElements.define('xmpp-editor', XmppEditor);
