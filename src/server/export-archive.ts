/**
 * The .zip of an export's files, compressed a slice at a time: compressing a large export in one
 * synchronous call (10,000 cases: most of a second) would hold every other request of the server
 * for as long, so the event loop gets a turn between slices.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { strToU8, Zip, ZipDeflate } from 'fflate';

/** Bytes compressed between two turns of the event loop: a few milliseconds of work. */
const SLICE_BYTES = 64 * 1024;

/** The archive's entries' modification time: the same export gives the same bytes. */
const ENTRY_TIME = new Date('2000-01-01T00:00:00Z');

/**
 * A deterministic .zip of `files` (names as given, in order), built without blocking the event
 * loop for more than one slice at a time.
 *
 * @example
 * const archive = await zipInSlices([{ name: 'SHOP-1.feature', content: 'Feature: …' }]);
 */
export async function zipInSlices(
  files: ReadonlyArray<{ name: string; content: string }>,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let finished = false;
  const zip = new Zip((error, data, final) => {
    if (error) failure = error;
    else chunks.push(data);
    if (final) finished = true;
  });
  for (const file of files) {
    const entry = new ZipDeflate(file.name, { level: 6 });
    entry.mtime = ENTRY_TIME;
    zip.add(entry);
    const bytes = strToU8(file.content);
    for (let start = 0; ; start += SLICE_BYTES) {
      const end = Math.min(bytes.length, start + SLICE_BYTES);
      entry.push(bytes.subarray(start, end), end === bytes.length);
      if (failure) throw failure;
      await nextTurn();
      if (end === bytes.length) break;
    }
  }
  zip.end();
  if (failure) throw failure;
  if (!finished) throw new Error('The export archive did not finish.');
  return concatenate(chunks);
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const archive = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    archive.set(chunk, offset);
    offset += chunk.length;
  }
  return archive;
}
