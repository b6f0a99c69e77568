import { errorDetail, errorMessage } from '../../src/lib/error-text.js';

describe('error text', () => {
  it('errorMessage: an Error gives its message, anything else String()', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  it('errorDetail: an Error gives its stack (its message without one), anything else String()', () => {
    const e = new Error('boom');
    expect(errorDetail(e)).toBe(e.stack);
    expect(errorDetail(e)).toContain('boom');
    const bare = new Error('no stack');
    delete bare.stack;
    expect(errorDetail(bare)).toBe('no stack');
    expect(errorDetail('plain')).toBe('plain');
  });
});
