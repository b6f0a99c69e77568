/**
 * RFC 8785 (JCS) canonical JSON: the published test vectors (the RFC's examples and the
 * testdata/ of cyberphone/json-canonicalization, the RFC author's reference implementation:
 * input → expected UTF-8 bytes), the Appendix B number table, refusals, and properties.
 */
import { CanonicalJsonError, canonicalJson } from '../../src/signals/canonical-json.js';

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

// cyberphone/json-canonicalization testdata/input/*.json and testdata/outhex/*.txt.
const FILE_VECTORS: { name: string; input: string; hex: string }[] = [
  {
    name: 'arrays',
    input: String.raw`[
  56,
  {
    "d": true,
    "10": null,
    "1": [ ]
  }
]`,
    hex: '5b35362c7b2231223a5b5d2c223130223a6e756c6c2c2264223a747275657d5d',
  },
  {
    name: 'french',
    input: String.raw`{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ignore locale"
}`,
    hex: '7b227065616368223a225468697320736f7274696e67206f72646572222c2270c3a96368c3a9223a2269732077726f6e67206163636f7264696e6720746f204672656e6368222c2270c3aa636865223a226275742063616e6f6e6963616c697a6174696f6e204d555354222c2273696e223a2269676e6f7265206c6f63616c65227d',
  },
  {
    name: 'structures',
    input: String.raw`{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ {"e": "yes","E": "no" } ],
  "A": { }
}`,
    hex: '7b22223a22656d707479222c2231223a7b225c6e223a35362c2266223a7b2246223a352c2266223a226869227d7d2c223130223a7b7d2c22313131223a5b7b2245223a226e6f222c2265223a22796573227d5d2c2241223a7b7d2c2261223a7b7d7d',
  },
  {
    name: 'unicode',
    input: String.raw`{
  "Unnormalized Unicode":"A\u030a"
}`,
    hex: '7b22556e6e6f726d616c697a656420556e69636f6465223a2241cc8a227d',
  },
  {
    name: 'values',
    input: String.raw`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
    hex: '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d',
  },
  {
    name: 'weird',
    input: String.raw`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\u000a": "Newline",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`,
    hex: '7b225c6e223a224e65776c696e65222c225c72223a2243617272696167652052657475726e222c2231223a224f6e65222c223c2f7363726970743e223a2242726f77736572204368616c6c656e6765222c22c280223a22436f6e74726f6c7f222c22c3b6223a224c6174696e20536d616c6c204c6574746572204f205769746820446961657265736973222c22e282ac223a224575726f205369676e222c22f09f9882223a22536d696c6579222c22efacb3223a22486562726577204c65747465722044616c6574205769746820446167657368227d',
  },
];

// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
const NUMBERS: [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

const fromBits = (bits: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
};

describe('canonicalJson: RFC 8785 vectors', () => {
  it.each(FILE_VECTORS)('testdata $name', ({ input, hex: expected }) => {
    expect(hex(canonicalJson(JSON.parse(input)))).toBe(expected);
  });

  it('§3.2.2 example: numbers, escaping, literals', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('§3.2.3 example: property sorting by UTF-16 code units', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each(NUMBERS)('Appendix B number %s → %s', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
    expect(canonicalJson([fromBits(bits)])).toBe(`[${expected}]`);
  });

  it('Appendix B: NaN and Infinity are errors', () => {
    expect(() => canonicalJson(fromBits('7fffffffffffffff'))).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(fromBits('7ff0000000000000'))).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: -Infinity })).toThrow(/has no JSON form/);
  });
});

describe('canonicalJson: refusals', () => {
  class Thing {
    a = 1;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  const cases: [string, unknown, RegExp][] = [
    ['undefined at the top', undefined, /undefined has no JSON form/],
    ['undefined in an array', [1, undefined], /\$\[1\]: undefined inside an array/],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in an array', [1, , 2], /undefined inside an array/],
    ['a function', { f: () => 1 }, /\$\.f: a function/],
    ['a symbol', [Symbol('x')], /a symbol/],
    ['a bigint', { n: 1n }, /\$\.n: a bigint/],
    ['a Date', { d: new Date(0) }, /not a plain object/],
    ['a Map', new Map(), /not a plain object/],
    ['a class instance', new Thing(), /not a plain object/],
    ['a boxed string', { s: new String('x') }, /not a plain object/],
    ['a typed array', new Uint8Array(2), /not a plain object/],
    ['symbol keys', { [Symbol('k')]: 1 }, /symbol keys/],
    ['a cycle', cyclic, /cyclic/],
    ['a lone high surrogate', { s: 'a\ud800' }, /lone surrogate/],
    ['a lone low surrogate in a key', { '\udc00x': 1 }, /lone surrogate/],
  ];
  it.each(cases)('refuses %s with a CanonicalJsonError', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses nesting past maxDepth, including hostile depths that would blow the stack', () => {
    expect(canonicalJson([[1]], { maxDepth: 2 })).toBe('[[1]]');
    expect(() => canonicalJson([[[1]]], { maxDepth: 2 })).toThrow(/nested deeper than 2/);
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
  });

  it('leaves out undefined members (as JSON.stringify does), keeps null, writes -0 as 0', () => {
    expect(canonicalJson({ b: undefined, a: null, c: -0 })).toBe('{"a":null,"c":0}');
    expect(canonicalJson(Object.create(null) as object)).toBe('{}');
    expect(canonicalJson('')).toBe('""');
    expect(canonicalJson({ '': [] })).toBe('{"":[]}');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe(
      '{"a":{"x":1},"b":[{"x":1},{"x":1}]}',
    );
  });
});

// A small deterministic generator stands in for a property-testing library.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  'a',
  'B',
  'z',
  '0',
  '_',
  ' ',
  '"',
  '\\',
  '\n',
  '\u0001',
  'é',
  '€',
  '\ufb33',
  '😂',
  '\u2028',
];

function randomString(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function randomNumber(r: () => number): number {
  const pick = Math.floor(r() * 5);
  if (pick === 0) return Math.floor(r() * 2000) - 1000;
  if (pick === 1) return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
  if (pick === 2)
    return new Float64Array(
      new Uint32Array([Math.floor(r() * 2 ** 32), Math.floor(r() * 0x7fefffff)]).buffer,
    )[0] as number;
  if (pick === 3) return r() < 0.5 ? Number.MAX_SAFE_INTEGER : Number.MIN_VALUE;
  return r();
}

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 6));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return randomNumber(r);
    case 3:
      return randomString(r);
    case 4:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) o[randomString(r)] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** The same value with every object's members inserted in a shuffled order. */
function shuffled(value: unknown, r: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, r));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v, r)]));
}

describe('canonicalJson: properties (500 generated values)', () => {
  const r = rng(8785);
  const values = Array.from({ length: 500 }, () => randomValue(r, 0));

  it('does not depend on member insertion order', () => {
    for (const v of values) expect(canonicalJson(shuffled(v, r))).toBe(canonicalJson(v));
  });

  it('round-trips: parse(canonical) equals the value, and canonicalising again changes nothing', () => {
    for (const v of values) {
      const c = canonicalJson(v);
      expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(canonicalJson(JSON.parse(c))).toBe(c);
    }
  });

  it('is JSON.stringify with sorted keys: no whitespace outside strings, sorted members', () => {
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    for (const v of values) {
      // JSON.stringify keeps insertion order except for array-index-like keys ("1", "10"), which
      // JS objects always list first in numeric order — so compare only values without them.
      const s = JSON.stringify(v);
      if (/"\d+":/.test(s)) continue;
      expect(canonicalJson(v)).toBe(JSON.stringify(sortDeep(v)));
    }
  });
});
