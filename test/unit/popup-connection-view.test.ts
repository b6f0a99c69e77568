import type { Audit } from '../../src/exchanges/index.js';
import { checkSummary, rotateUrl, rotationView } from '../../src/ui/connection-view.js';

const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe('rotation state labels (due after 90 days, overdue after 180)', () => {
  it.each([
    [daysAgo(1), 'fresh', 'Key 1 day old', 'ok'],
    [daysAgo(90), 'fresh', 'Key 90 days old', 'ok'],
    [daysAgo(91), 'due', 'Rotation due: key 91 days old', 'warn'],
    [daysAgo(180), 'due', 'Rotation due: key 180 days old', 'warn'],
    [daysAgo(181), 'overdue', 'Rotation overdue: key 181 days old', 'block'],
    [undefined, 'unknown', 'Key age unknown (the exchange does not say)', 'muted'],
    ['not a date', 'unknown', 'Key age unknown (the exchange does not say)', 'muted'],
  ])('%s → %s', (created, state, text, tone) => {
    expect(rotationView(created, now)).toEqual({ state, text, tone });
  });
});

it('summarises checks by level', () => {
  const audit = {
    checks: [
      { id: 'a', level: 'ok', message: '' },
      { id: 'b', level: 'ok', message: '' },
      { id: 'c', level: 'warn', message: '' },
      { id: 'd', level: 'block', message: '' },
    ],
  } as Audit;
  expect(checkSummary(audit)).toBe('2 ok · 1 warning · 1 blocking');
});

it('"Rotate key" opens the exchange page with the hash the panel reads', () => {
  expect(rotateUrl('https://www.okx.com/account/my-api', 'c_Ab1')).toBe(
    'https://www.okx.com/account/my-api#sentinel-rotate=c_Ab1',
  );
});
