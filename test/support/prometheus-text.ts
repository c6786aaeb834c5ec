// A strict reader of the Prometheus text exposition format 0.0.4 for tests: every line must be a
// HELP/TYPE comment, blank, or a sample of a declared family; label values are unescaped.
// Histograms are checked for cumulative buckets ending in +Inf == _count.
import assert from 'node:assert/strict';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The one sample of `name` whose labels include all of `labels`; undefined when none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Sum over the samples of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    assert.ok(m, `bad label set at ${start}: {${text}}`);
    assert.ok(!(m[1]! in labels), `duplicate label ${m[1]}`);
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** Go's ParseFloat, which Prometheus uses, takes NaN/Inf in any case (prom-client writes "Nan"). */
function parseValue(text: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  assert.ok(text.length > 0 && !Number.isNaN(value), `bad sample value '${text}'`);
  return value;
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    if (base && (types.get(base) === 'histogram' || types.get(base) === 'summary')) return base;
  }
  return undefined;
}

const includes = (labels: Record<string, string>, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v);

export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    if (line.startsWith('# HELP ')) {
      assert.match(line.split(' ')[2] ?? '', NAME, `line ${i + 1}: bad HELP`);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      assert.match(name ?? '', NAME, `line ${i + 1}: bad TYPE name`);
      assert.ok(['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? ''), `line ${i + 1}: bad type ${type}`);
      assert.ok(!types.has(name!), `line ${i + 1}: ${name} declared twice`);
      types.set(name!, type!);
      continue;
    }
    assert.ok(!line.startsWith('#'), `line ${i + 1}: unknown comment ${line}`);
    const m = SAMPLE.exec(line);
    assert.ok(m, `line ${i + 1} is not a sample: ${line}`);
    const name = m[1]!;
    assert.ok(familyOf(name, types), `line ${i + 1}: sample of undeclared family ${name}`);
    samples.push({ name, labels: m[3] ? parseLabels(m[3]) : {}, value: parseValue(m[4]!) });
  }
  checkHistograms(types, samples);
  const matching = (name: string, labels: Record<string, string>) => samples.filter((s) => s.name === name && includes(s.labels, labels));
  return {
    types,
    samples,
    value(name, labels = {}) {
      const found = matching(name, labels);
      assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
      return found[0]?.value;
    },
    sum: (name, labels = {}) => matching(name, labels).reduce((acc, s) => acc + s.value, 0),
  };
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
      const { le, ...rest } = s.labels;
      assert.ok(le !== undefined, `${family}_bucket without le`);
      const key = JSON.stringify(Object.entries(rest).sort());
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      const values = buckets.map((b) => b.value);
      assert.deepEqual(values, [...values].sort((a, b) => a - b), `${family}${key}: buckets not cumulative`);
      assert.equal(buckets.at(-1)!.labels.le, '+Inf', `${family}${key}: last bucket is not +Inf`);
      const labels = Object.fromEntries(JSON.parse(key) as Array<[string, string]>);
      const count = samples.find((s) => s.name === `${family}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key);
      assert.equal(count?.value, buckets.at(-1)!.value, `${family}${JSON.stringify(labels)}: +Inf bucket != _count`);
    }
  }
}
