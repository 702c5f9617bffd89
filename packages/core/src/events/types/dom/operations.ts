/** A node to insert, with the stable id every replica will know it by. */
export type NodeSpec = ElementSpec | TextSpec;

export interface ElementSpec {
  kind: 'element';
  id: string;
  /** Qualified name, e.g. `rect` or `svg:rect`. */
  name: string;
  /** Namespace URI; none when omitted. */
  ns?: string;
  attributes: AttributeSpec[];
  children: NodeSpec[];
}

export interface TextSpec {
  kind: 'text';
  id: string;
  text: string;
}

export interface AttributeSpec {
  name: string;
  ns?: string;
  value: string;
}

/** One change to a synchronized XML DOM ([DOM1]). */
export type DomOperation =
  | { op: 'insert'; parent: string; before?: string; node: NodeSpec }
  | { op: 'insert-markup'; parent: string; before?: string; id: string; markup: string }
  | { op: 'remove'; id: string }
  | { op: 'set-attribute'; id: string; name: string; ns?: string; value?: string }
  | { op: 'set-text'; id: string; text: string };

/** Id of the document element every replica starts with. */
export const ROOT_ID = 'root';
