import { getStroke } from 'perfect-freehand';
import {
  type BoxShape,
  type LineShape,
  MAX_COORDINATE,
  MAX_INLINE_IMAGE,
  MAX_POINTS,
  MAX_SIZE,
  type Shape,
  type StrokeShape,
  clampNumber,
  sanitizeFill,
  sanitizeText,
} from '../model/shapes.js';
import {
  distanceToSegment,
  inBox,
  inEllipse,
  inset,
  nearBoxOutline,
  nearEllipseOutline,
  nearPolyline,
} from '../model/geometry.js';
import { type ShapeDefinition, type ShapeRegistry, mapPoint, setAttributes, svgElement } from './ShapeRegistry.js';

const stroke: ShapeDefinition<StrokeShape> = {
  type: 'stroke',
  sanitize(base, raw) {
    const list = Array.isArray(raw.points) ? raw.points.slice(0, MAX_POINTS * 3) : [];
    const points = list.map((value, i) =>
      i % 3 === 2 ? Math.max(0, Math.min(1, clampNumber(value, 1, 0.5))) : clampNumber(value, MAX_COORDINATE),
    );
    points.length -= points.length % 3;
    return { ...base, type: 'stroke', points, highlighter: raw.highlighter === true };
  },
  render(shape, existing) {
    const path = svgElement('path', existing);
    setAttributes(path, {
      d: strokePath(shape),
      fill: shape.color,
      'fill-opacity': shape.highlighter ? 0.35 : 1,
      transform: `translate(${shape.x} ${shape.y})`,
    });
    return path;
  },
  bounds(shape) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < shape.points.length; i += 3) {
      minX = Math.min(minX, shape.points[i]!);
      maxX = Math.max(maxX, shape.points[i]!);
      minY = Math.min(minY, shape.points[i + 1]!);
      maxY = Math.max(maxY, shape.points[i + 1]!);
    }
    if (minX === Infinity) return { x: shape.x, y: shape.y, w: 0, h: 0 };
    const pad = shape.width * (shape.highlighter ? 3 : 1);
    return { x: shape.x + minX - pad, y: shape.y + minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad };
  },
  // The drawn outline is about width × 2 across (× 6 for a highlighter).
  hits: (shape, point, tolerance) =>
    nearPolyline(point, shape.points, 3, shape, tolerance + shape.width * (shape.highlighter ? 3 : 1)),
  resize(shape, bounds, target) {
    // Bounds reach past the ink by the pen's width, which does not scale: map the ink's box.
    const pad = shape.width * (shape.highlighter ? 3 : 1);
    const [from, to] = [inset(bounds, pad), inset(target, pad)];
    const origin = mapPoint(shape, from, to);
    const points = shape.points.map((value, i) => {
      if (i % 3 === 2) return value;
      const absolute = i % 3 === 0 ? { x: shape.x + value, y: 0 } : { x: 0, y: shape.y + value };
      const mapped = mapPoint(absolute, from, to);
      return i % 3 === 0 ? mapped.x - origin.x : mapped.y - origin.y;
    });
    return { x: origin.x, y: origin.y, points };
  },
};

/** perfect-freehand's outline of a stroke, as an SVG path. */
export function strokePath(shape: StrokeShape): string {
  const input: number[][] = [];
  for (let i = 0; i < shape.points.length; i += 3)
    input.push([shape.points[i]!, shape.points[i + 1]!, shape.points[i + 2]!]);
  const outline = getStroke(input, {
    size: shape.width * (shape.highlighter ? 6 : 2),
    thinning: shape.highlighter ? 0 : 0.5,
    smoothing: 0.5,
    streamline: 0.5,
    simulatePressure: false,
    last: true,
  });
  if (outline.length === 0) return '';
  let d = `M${outline[0]![0]!.toFixed(1)} ${outline[0]![1]!.toFixed(1)}Q`;
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i]!;
    const [x1, y1] = outline[(i + 1) % outline.length]!;
    d += `${x0!.toFixed(1)} ${y0!.toFixed(1)} ${((x0! + x1!) / 2).toFixed(1)} ${((y0! + y1!) / 2).toFixed(1)} `;
  }
  return `${d}Z`;
}

function lineDefinition(type: 'line' | 'arrow'): ShapeDefinition<LineShape> {
  return {
    type,
    sanitize: (base, raw) => ({
      ...base,
      type,
      x2: clampNumber(raw.x2, MAX_COORDINATE),
      y2: clampNumber(raw.y2, MAX_COORDINATE),
    }),
    render(shape, existing) {
      const group = svgElement('g', existing);
      const line = (group.firstChild as SVGLineElement | null) ?? group.appendChild(svgElement('line', undefined));
      setAttributes(line, {
        x1: shape.x,
        y1: shape.y,
        x2: shape.x2,
        y2: shape.y2,
        stroke: shape.color,
        'stroke-width': shape.width,
        'stroke-linecap': 'round',
      });
      let head = group.childNodes[1] as SVGPathElement | undefined;
      if (type === 'arrow') {
        head ??= group.appendChild(svgElement('path', undefined));
        const angle = Math.atan2(shape.y2 - shape.y, shape.x2 - shape.x);
        const size = 6 + shape.width * 3;
        const point = (turn: number) =>
          `${shape.x2 - size * Math.cos(angle + turn)} ${shape.y2 - size * Math.sin(angle + turn)}`;
        setAttributes(head, {
          d: `M${point(0.45)} L${shape.x2} ${shape.y2} L${point(-0.45)}`,
          fill: 'none',
          stroke: shape.color,
          'stroke-width': shape.width,
          'stroke-linecap': 'round',
          'stroke-linejoin': 'round',
        });
      }
      return group;
    },
    bounds: (shape) => ({
      x: Math.min(shape.x, shape.x2) - shape.width,
      y: Math.min(shape.y, shape.y2) - shape.width,
      w: Math.abs(shape.x2 - shape.x) + 2 * shape.width,
      h: Math.abs(shape.y2 - shape.y) + 2 * shape.width,
    }),
    hits: (shape, point, tolerance) =>
      distanceToSegment(point, shape, { x: shape.x2, y: shape.y2 }) <= tolerance + shape.width / 2,
    resize(shape, bounds, target) {
      const [from, to] = [inset(bounds, shape.width), inset(target, shape.width)];
      const start = mapPoint(shape, from, to);
      const end = mapPoint({ x: shape.x2, y: shape.y2 }, from, to);
      return { x: start.x, y: start.y, x2: end.x, y2: end.y };
    },
  };
}

function sanitizeBox(base: Shape, raw: Record<string, unknown>): Shape & { w: number; h: number } {
  return { ...base, w: Math.max(0, clampNumber(raw.w, MAX_SIZE)), h: Math.max(0, clampNumber(raw.h, MAX_SIZE)) };
}

const boxBounds = (shape: BoxShape) => ({ x: shape.x, y: shape.y, w: shape.w, h: shape.h });

const rect: ShapeDefinition<BoxShape & { fill: string | undefined }> = {
  type: 'rect',
  sanitize: (base, raw) =>
    ({
      ...sanitizeBox(base, raw),
      type: 'rect',
      fill: sanitizeFill(raw.fill),
    }) as BoxShape & { fill: string | undefined },
  styles: { fill: 'fill' },
  render(shape, existing) {
    const element = svgElement('rect', existing);
    setAttributes(element, {
      x: shape.x,
      y: shape.y,
      width: shape.w,
      height: shape.h,
      rx: 4,
      stroke: shape.color,
      'stroke-width': shape.width,
      fill: shape.fill ?? 'none',
    });
    return element;
  },
  bounds: boxBounds,
  // An unfilled rectangle is its outline; its middle lets clicks through to what is behind.
  hits: (shape, point, tolerance) =>
    shape.fill
      ? inBox(point, shape, tolerance + shape.width / 2)
      : nearBoxOutline(point, shape, tolerance + shape.width / 2),
};

const ellipse: ShapeDefinition<BoxShape & { fill: string | undefined }> = {
  type: 'ellipse',
  sanitize: (base, raw) =>
    ({
      ...sanitizeBox(base, raw),
      type: 'ellipse',
      fill: sanitizeFill(raw.fill),
    }) as BoxShape & { fill: string | undefined },
  styles: { fill: 'fill' },
  render(shape, existing) {
    const element = svgElement('ellipse', existing);
    setAttributes(element, {
      cx: shape.x + shape.w / 2,
      cy: shape.y + shape.h / 2,
      rx: shape.w / 2,
      ry: shape.h / 2,
      stroke: shape.color,
      'stroke-width': shape.width,
      fill: shape.fill ?? 'none',
    });
    return element;
  },
  bounds: boxBounds,
  hits: (shape, point, tolerance) =>
    shape.fill
      ? inEllipse(point, shape, tolerance + shape.width / 2)
      : nearEllipseOutline(point, shape, tolerance + shape.width / 2),
};

const text: ShapeDefinition<BoxShape & { text: string; size: number }> = {
  type: 'text',
  sanitize(base, raw) {
    const size = Math.max(6, Math.min(400, clampNumber(raw.size, 400, 20)));
    const content = sanitizeText(raw.text);
    const lines = content.split('\n');
    const w = Math.max(...lines.map((line) => line.length)) * size * 0.6;
    return { ...base, type: 'text', text: content, size, w, h: lines.length * size * 1.25 };
  },
  styles: { fontSize: 'size' },
  render(shape, existing) {
    const element = svgElement('text', existing);
    setAttributes(element, {
      x: shape.x,
      y: shape.y,
      fill: shape.color,
      'font-size': shape.size,
      'font-family': 'system-ui, sans-serif',
    });
    element.replaceChildren(
      ...shape.text.split('\n').map((line, i) => {
        const span = svgElement('tspan', undefined);
        setAttributes(span, { x: shape.x, dy: i === 0 ? shape.size : shape.size * 1.25 });
        span.textContent = line;
        return span;
      }),
    );
    return element;
  },
  bounds: boxBounds,
  // Text grows with its font size: the taller of the two scales wins, so it keeps its shape.
  resize(shape, from, to) {
    const corner = mapPoint(shape, from, to);
    const scale = Math.max(from.w === 0 ? 1 : to.w / from.w, from.h === 0 ? 1 : to.h / from.h);
    return { x: corner.x, y: corner.y, size: Math.max(6, Math.min(400, shape.size * scale)) };
  },
};

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

const image: ShapeDefinition<BoxShape & { href: string }> = {
  type: 'image',
  sanitize(base, raw) {
    const href = typeof raw.href === 'string' ? raw.href : '';
    // Only inline images of a bounded size, or https: uploads (XEP-0363): never script URLs.
    const safe =
      (href.length <= MAX_INLINE_IMAGE * 1.4 && DATA_IMAGE.test(href)) || /^https?:\/\/[^\s"'<>]+$/.test(href);
    return safe ? ({ ...sanitizeBox(base, raw), type: 'image', href } as BoxShape & { href: string }) : undefined;
  },
  render(shape, existing) {
    const element = svgElement('image', existing);
    setAttributes(element, {
      x: shape.x,
      y: shape.y,
      width: shape.w,
      height: shape.h,
      href: shape.href,
      preserveAspectRatio: 'xMidYMid meet',
    });
    return element;
  },
  bounds: boxBounds,
};

/** Registers the built-in shapes: strokes, lines, arrows, rectangles, ellipses, text, images. */
export function registerBuiltinShapes(registry: ShapeRegistry): void {
  for (const definition of [stroke, lineDefinition('line'), lineDefinition('arrow'), rect, ellipse, text, image]) {
    registry.register(definition as unknown as ShapeDefinition);
  }
}
