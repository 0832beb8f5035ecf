import { describe, expect, it } from 'vitest';
import { parseMultipart } from './multipart-reader.ts';

function body(parts: string[], boundary = 'XyZ'): Buffer {
  return Buffer.from(`${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\n`);
}

describe('parseMultipart', () => {
  it('reads file and text fields as the fetch API does', async () => {
    const raw = body([
      'Content-Disposition: form-data; name="file"; filename="stories.md"\r\nContent-Type: text/markdown\r\n\r\n# S-1: Pay\r\n\r\n- works',
      'Content-Disposition: form-data; name="fileName"\r\n\r\nother.md',
    ]);
    const form = parseMultipart(raw, 'XyZ')!;
    const standard = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    }).formData();
    const file = form.get('file') as File;
    const standardFile = standard.get('file') as File;
    expect(file.name).toBe(standardFile.name);
    expect(file.type).toBe(standardFile.type);
    expect(await file.text()).toBe(await standardFile.text());
    expect(form.get('fileName')).toBe(standard.get('fileName'));
  });

  it('keeps binary content byte for byte', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x41]);
    const raw = Buffer.concat([
      Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n'),
      bytes,
      Buffer.from('\r\n--B--\r\n'),
    ]);
    const file = parseMultipart(raw, 'B')!.get('file') as File;
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });

  it('leaves a body it does not understand to the standard parser', () => {
    expect(parseMultipart(Buffer.from('no boundary here'), 'B')).toBeUndefined();
    expect(
      parseMultipart(body(['Content-Disposition: form-data; name="a"\r\n\r\nx'], 'A'), 'B'),
    ).toBeUndefined();
    expect(
      parseMultipart(
        body(['Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'a.md\r\n\r\nx']),
        'XyZ',
      ),
    ).toBeUndefined();
    expect(
      parseMultipart(Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'), 'B'),
    ).toBeUndefined();
  });
});
