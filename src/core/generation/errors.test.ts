import { describe, expect, it } from 'vitest';
import { isResponseFormatUnsupported } from './errors.ts';

describe('isResponseFormatUnsupported', () => {
  it('recognises a 400 or 422 that names the response format', () => {
    expect(
      isResponseFormatUnsupported({ status: 400, message: "'response_format.type' must be 'text'" }),
    ).toBe(true);
    expect(
      isResponseFormatUnsupported({
        status: 422,
        message: 'Rejected',
        serverMessage: 'json_schema not supported',
      }),
    ).toBe(true);
    expect(
      isResponseFormatUnsupported({
        status: 400,
        message: 'x',
        body: { error: { param: 'response_format' } },
      }),
    ).toBe(true);
    expect(
      isResponseFormatUnsupported({
        message: 'wrapped',
        cause: { status: 400, message: 'json mode unavailable' },
      }),
    ).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isResponseFormatUnsupported({ status: 400, message: 'maximum context length exceeded' })).toBe(
      false,
    );
    expect(isResponseFormatUnsupported({ status: 500, message: 'response_format crashed' })).toBe(false);
    expect(isResponseFormatUnsupported({ status: 401, message: 'json_schema' })).toBe(false);
    expect(isResponseFormatUnsupported(new Error('response_format'))).toBe(false);
    expect(isResponseFormatUnsupported(undefined)).toBe(false);
  });
});
