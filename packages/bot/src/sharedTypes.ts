import * as Y from 'yjs';

/** The kind of a Yjs root type, read from its content (remote roots arrive untyped). */
export type SharedKind = 'text' | 'map' | 'array' | 'xml';

/** A root type once typed. */
export type SharedRoot = Y.Text | Y.Map<unknown> | Y.Array<unknown> | Y.XmlFragment;

type UntypedRoot = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/**
 * Gives each root type of a document its concrete kind, so it can be read and observed.
 * A root type received from the network is a bare `AbstractType` until someone asks for it
 * as a text, map, array or XML fragment; its content tells which it was.
 */
export function typedRoots(doc: Y.Doc): Map<string, { kind: SharedKind; type: SharedRoot }> {
  const roots = new Map<string, { kind: SharedKind; type: SharedRoot }>();
  for (const [name, type] of doc.share) {
    const kind = kindOf(type);
    const typed: SharedRoot =
      kind === 'text'
        ? doc.getText(name)
        : kind === 'map'
          ? doc.getMap(name)
          : kind === 'xml'
            ? doc.getXmlFragment(name)
            : doc.getArray(name);
    roots.set(name, { kind, type: typed });
  }
  return roots;
}

function kindOf(type: UntypedRoot): SharedKind {
  if (type instanceof Y.Text) return 'text';
  if (type instanceof Y.Map) return 'map';
  if (type instanceof Y.XmlFragment) return 'xml';
  if (type instanceof Y.Array) return 'array';
  if (type._map.size > 0) return 'map';
  for (let item = type._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) {
      return 'text';
    }
    if (content instanceof Y.ContentType) {
      return content.type instanceof Y.XmlElement || content.type instanceof Y.XmlText ? 'xml' : 'array';
    }
    if (!item.deleted) return 'array';
  }
  return 'text';
}

/** A document's root types as plain JSON: texts as strings, XML as markup. */
export function documentToJson(doc: Y.Doc): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [name, { kind, type }] of typedRoots(doc)) {
    json[name] = kind === 'text' || kind === 'xml' ? type.toString() : type.toJSON();
  }
  return json;
}
