import { type Connection, findUploadService, uploadFile } from '@xsync/core';
import { dataUrlOf } from '../export.js';
import { MAX_INLINE_IMAGE } from './shapes.js';

/** Image types a board keeps; others are refused before anything is sent. */
const IMAGE_TYPES = /^image\/(?:png|jpeg|gif|webp)$/;
/** The longer side of a placed image, in board units. */
const PLACED_SIZE = 400;

/**
 * Where a board's image lives: uploaded through the server's XEP-0363 service, whose URL the
 * shape keeps, or inline as a `data:` URL up to {@link MAX_INLINE_IMAGE} bytes when the server
 * offers none or `inline` asks for it.
 */
export async function storeImage(connection: Connection, file: Blob, inline: boolean): Promise<string> {
  if (!IMAGE_TYPES.test(file.type)) throw new TypeError(`not a supported image: ${file.type}`);
  const service = inline ? undefined : await findUploadService(connection);
  if (service) return uploadFile(connection, file, (file as File).name || `image.${file.type.slice('image/'.length)}`);
  if (file.size > MAX_INLINE_IMAGE) {
    throw new RangeError(
      `without an upload service, images are kept inline up to ${MAX_INLINE_IMAGE / 1024} KiB; this one has ${Math.ceil(file.size / 1024)} KiB`,
    );
  }
  return dataUrlOf(file);
}

/** The size an image is placed at: its own, or smaller so that its longer side is 400. */
export async function placedSize(file: Blob): Promise<{ w: number; h: number }> {
  const bitmap = await createImageBitmap(file);
  const fit = Math.min(1, PLACED_SIZE / Math.max(bitmap.width, bitmap.height));
  const size = { w: bitmap.width * fit, h: bitmap.height * fit };
  bitmap.close();
  return size;
}
