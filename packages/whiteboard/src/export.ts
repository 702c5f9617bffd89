import type { Board } from './model/Board.js';
import type { Box } from './model/shapes.js';
import { SVG_NS, type ShapeRegistry, cachedBounds, renderShape } from './render/ShapeRegistry.js';

/** Bounds of some shapes as drawn (all when `ids` is omitted), with a margin. */
export function boundsOf(board: Board, registry: ShapeRegistry, ids?: Iterable<string>): Box {
  const shapes = ids ? [...ids].map((id) => board.get(id)).filter((shape) => shape !== undefined) : board.all();
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const shape of shapes) {
    const box = cachedBounds(registry.get(shape.type)!, shape);
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.w);
    maxY = Math.max(maxY, box.y + box.h);
  }
  if (minX === Infinity) return { x: 0, y: 0, w: 1, h: 1 };
  const margin = 16;
  return { x: minX - margin, y: minY - margin, w: maxX - minX + 2 * margin, h: maxY - minY + 2 * margin };
}

/** A standalone SVG document of the board or of some shapes, drawn by the same renderers. */
export function exportSvg(board: Board, registry: ShapeRegistry, ids?: Iterable<string>): string {
  const selected = ids ? new Set(ids) : undefined;
  const box = boundsOf(board, registry, selected);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
  svg.setAttribute('width', String(Math.ceil(box.w)));
  svg.setAttribute('height', String(Math.ceil(box.h)));
  const background = document.createElementNS(SVG_NS, 'rect');
  for (const [name, value] of Object.entries({ x: box.x, y: box.y, width: box.w, height: box.h, fill: '#fff' })) {
    background.setAttribute(name, String(value));
  }
  svg.append(background);
  for (const shape of board.all()) {
    if (selected && !selected.has(shape.id)) continue;
    svg.append(renderShape(registry.get(shape.type)!, shape, undefined));
  }
  return new XMLSerializer().serializeToString(svg);
}

/**
 * The same SVG with every uploaded image fetched and embedded as a `data:` URL, so that the
 * file shows the board anywhere, offline and without the server's permission. An image that
 * cannot be fetched keeps its link.
 */
export function exportStandaloneSvg(board: Board, registry: ShapeRegistry, ids?: Iterable<string>): Promise<string> {
  return inlineImages(exportSvg(board, registry, ids));
}

/** The same as a PNG, rendered by the browser at `pixelRatio`. */
export async function exportPng(
  board: Board,
  registry: ShapeRegistry,
  ids?: Iterable<string>,
  pixelRatio = 2,
): Promise<Blob> {
  // An SVG drawn as an image loads nothing from the network: uploaded images go in inline.
  const svg = await exportStandaloneSvg(board, registry, ids);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * pixelRatio));
    canvas.height = Math.max(1, Math.round(image.height * pixelRatio));
    const context = canvas.getContext('2d')!;
    context.scale(pixelRatio, pixelRatio);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function inlineImages(svg: string): Promise<string> {
  const urls = [...new Set([...svg.matchAll(/href="(https?:\/\/[^"]+)"/g)].map((match) => match[1]!))];
  const inlined = await Promise.all(
    urls.map(async (url) => {
      try {
        return await dataUrlOf(await (await fetch(url.replace(/&amp;/g, '&'))).blob());
      } catch {
        return url;
      }
    }),
  );
  return urls.reduce((text, url, i) => text.split(`href="${url}"`).join(`href="${inlined[i]}"`), svg);
}

/** A file as a `data:` URL. */
export function dataUrlOf(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Saves a file the way a download link does. */
export function download(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}
