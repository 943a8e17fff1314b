/**
 * fast-check arbitraries for malformed and hostile input: wrong types, missing and extra fields,
 * huge strings, odd Unicode and injection attempts. Shared by the workflow and the API suites.
 */
import fc from 'fast-check';

/** Strings people and scripts send to break parsers, templates, logs and pages. */
export const NASTY_STRINGS = [
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  "Robert'); DROP TABLE enrollments;--",
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '\u0000\u0001\u0007',
  '\u202eevil\u202c',
  '\ud800',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🏳️‍🌈 中文 العربية',
  ' \t\r\n ',
  '',
  '\r\nBcc: victim@example.com',
  'A'.repeat(2049),
];

/** Up to ~300 KB: above every field limit, below Temporal's payload limits. */
const huge = fc
  .integer({ min: 10_000, max: 300_000 })
  .chain((n) => fc.constantFrom('A', '中', '😀', '<').map((c) => c.repeat(Math.ceil(n / c.length))));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 1, arbitrary: huge },
);

/** Any JSON value, with the hostile strings among the leaves. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

type Json = unknown;
type Path = (string | number)[];

/** Every path into a JSON value, the root included. */
function pathsOf(value: Json, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value)
    ? value.flatMap((v, i) => pathsOf(v, [...at, i]))
    : Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]));
  return [at, ...children];
}

function withChange(
  value: Json,
  path: Path,
  change: (parent: Record<string | number, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(value) as Record<string | number, Json>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  change(parent, path[path.length - 1]);
  return copy;
}

/**
 * A valid payload broken in one place: a field removed, given a hostile value or a wrong type,
 * an extra field added next to it, or the whole payload replaced.
 */
export function mutationsOf(valid: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(valid).filter((p) => p.length > 0);
  const objectPaths = [[], ...paths].filter((p) => {
    let v = valid as Record<string | number, Json>;
    for (const key of p) v = v[key] as Record<string | number, Json>;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  return fc.oneof(
    fc.constantFrom(...paths).map((p) => withChange(valid, p, (parent, key) => delete parent[key])),
    fc
      .tuple(fc.constantFrom(...paths), hostileValue)
      .map(([p, v]) => withChange(valid, p, (parent, key) => (parent[key] = v))),
    fc
      .tuple(
        fc.constantFrom(...objectPaths),
        fc.constantFrom('isAdmin', 'role', '__proto__', 'x'),
        hostileValue,
      )
      .map(([p, extra, v]) =>
        p.length === 0
          ? { ...(valid as object), [extra]: v }
          : withChange(valid, [...p, extra], (parent, key) => (parent[key] = v)),
      ),
    hostileValue,
  );
}
