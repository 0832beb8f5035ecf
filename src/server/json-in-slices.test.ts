import { describe, expect, it } from 'vitest';
import { jsonInSlices } from './json-in-slices.ts';

describe('jsonInSlices', () => {
  it('answers the same JSON as one JSON.stringify, for empty, short and long arrays', async () => {
    for (const count of [0, 1, 199, 200, 201, 1000]) {
      const value = {
        project: 'P',
        stories: Array.from({ length: count }, (_, index) => ({ key: `S-${index}`, gone: undefined })),
        summary: { created: count },
        csvMapping: undefined,
      };
      const response = jsonInSlices(value, 'stories');
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(JSON.parse(await response.text())).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('writes an object holding only the array', async () => {
    expect(await jsonInSlices({ stories: [1, 2] }, 'stories').text()).toBe('{"stories":[1,2]}');
  });
});
