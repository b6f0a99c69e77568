import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PublicIpFinder,
  parsePublicIpAnswer,
} from '../../src/native-host/service/network/public-ip.js';

describe('parsePublicIpAnswer', () => {
  it.each([
    ['203.0.113.7\n', '203.0.113.7'],
    ['{"ip":"203.0.113.7"}', '203.0.113.7'],
    ['{"ip": "2001:db8::1", "country": "x"}', '2001:db8::1'],
    ['<html>oops</html>', null],
    ['{"ip": 5}', null],
    ['{"address":"1.2.3.4"}', null],
    ['999.1.1.1', null],
    ['', null],
  ])('%j → %s', (body, ip) => expect(parsePublicIpAnswer(body)).toBe(ip));
});

describe('PublicIpFinder', () => {
  let server: Server;
  let hits = 0;
  let answer = '198.51.100.23';
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end(answer);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ip`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks once, then serves the cached answer until told to refresh', async () => {
    hits = 0;
    const f = new PublicIpFinder(url);
    expect((await f.find()).ip).toBe('198.51.100.23');
    expect((await f.find()).ip).toBe('198.51.100.23');
    expect(hits).toBe(1);
    answer = '198.51.100.24';
    expect((await f.find({ fresh: true })).ip).toBe('198.51.100.24');
    expect(hits).toBe(2);
  });

  it('an unreachable source gives null and says what to do', async () => {
    const r = await new PublicIpFinder('http://127.0.0.1:1/ip').find();
    expect(r.ip).toBeNull();
    expect(r.problem).toContain('SENTINEL_PUBLIC_IP_URL');
  });

  it('a source that answers nonsense gives null', async () => {
    answer = 'not an ip';
    const r = await new PublicIpFinder(url).find();
    expect(r.ip).toBeNull();
    expect(r.problem).toContain('without an IP address');
  });
});
