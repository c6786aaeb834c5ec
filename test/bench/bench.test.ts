// Issue 5 §1: `npm run bench` in a tiny configuration (a few stations, a few seconds) runs every
// scenario against a real CSMS child and the canned-reply server and writes a well-formed JSON
// report. No timing assertions: speed lives in the benchmark report, not in tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SCENARIOS } from '../../src/bench/options';

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
// With TEST_DATABASE_URL the CSMS child runs on a scratch PostgreSQL database next to it.
const postgresUrl = process.env.TEST_DATABASE_URL;
const storageArgs = postgresUrl ? ['--db', 'postgres', '--postgres-url', postgresUrl] : [];
const out = join(dir, 'report.json');

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bench/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const isSummary = (s: any) =>
  ['count', 'mean', 'p50', 'p95', 'p99', 'max'].every((k) => typeof s?.[k] === 'number' && Number.isFinite(s[k]) && s[k] >= 0) && s.p50 <= s.max;

describe('npm run bench (smoke, tiny configuration)', { timeout: 240_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every scenario runs and the JSON report is well-formed', async () => {
    const { code, stdout, stderr } = await runBench([
      '--stations', '4', '--idle-stations', '6', '--idle-seconds', '1', '--rate', '20', '--duration', '2',
      '--heartbeat-duration', '1', '--command-rate', '5', '--command-duration', '1', '--subscribers', '2',
      '--subscription-rate', '4', '--subscription-duration', '1', '--flood-attempts', '60', '--flood-concurrency', '10', '--flood-stations', '1',
      '--flood-baseline', '1', '--workers', '1', '--log-level', 'warn', '--quiet', '--out', out, ...storageArgs,
    ]);
    assert.equal(code, 0, `bench exited ${code}: ${stderr.slice(-2000)}`);
    assert.match(stdout, /JSON report: /);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(report.tool, 'chargegraph-bench');
    assert.equal(report.storage, postgresUrl ? 'postgres' : 'pglite');
    assert.ok(report.machine.cores >= 1 && typeof report.machine.cpuModel === 'string' && typeof report.machine.gitRevision === 'string');
    assert.ok(!Number.isNaN(Date.parse(report.startedAt)) && !Number.isNaN(Date.parse(report.finishedAt)));
    for (const phase of [...SCENARIOS, 'reconnect', 'ceiling']) assert.ok(report.phases[phase], `phase ${phase} reported`);
    for (const [name, phase] of Object.entries<any>(report.phases)) {
      assert.equal(typeof phase.lost, 'number', `${name}.lost`);
      assert.equal(typeof phase.errors, 'object', `${name}.errors`);
      assert.equal(typeof phase.clientCpuPercent, 'number', `${name}.clientCpuPercent`);
      for (const [action, summary] of Object.entries(phase.latency)) assert.ok(isSummary(summary), `${name}.${action} summary`);
      if (name !== 'ceiling') assert.ok(phase.server && phase.server.rssMb > 0 && phase.server.cpuPercent >= 0, `${name}.server`);
    }
    assert.equal(report.phases.storm.stations, 4);
    assert.ok(report.phases.mix.latency.TransactionEvent, 'the mix sends TransactionEvents');
    assert.ok(report.phases.commands.latency.getVariables, 'command round trips measured');
    assert.ok(report.phases.subscriptions.latency.meterValuesReceived, 'subscription deliveries measured');
    // Issue 5 §4 (authflood): every wrong-password attempt is counted by status, 401 first (the budget of 20
    // is not spent yet), then 429; the two real stations from 127.0.0.2 connect and boot.
    const flood = report.phases.authflood;
    assert.equal(flood.attempts, 60);
    assert.equal(Object.values<number>(flood.statuses).reduce((a, b) => a + b, 0) + (flood.errors.connectionErrors ?? 0) + (flood.errors.timedOut ?? 0), 60);
    assert.ok(flood.statuses['401'] >= 1 && flood.statuses['429'] >= 1, `statuses ${JSON.stringify(flood.statuses)}`);
    assert.deepEqual(flood.realStations, { ...flood.realStations, stations: 2, connected: 2, booted: 2 });
    for (const action of ['upgrade 401', 'upgrade 429', 'Heartbeat before', 'Heartbeat during', 'connect+boot during']) {
      assert.ok(flood.latency[action], `authflood.${action} measured`);
    }
    assert.ok(report.targets.some((t: any) => t.name === 'auth flood'), 'the auth flood target is checked');
    assert.ok(Array.isArray(report.targets) && report.targets.every((t: any) => typeof t.met === 'boolean' && t.name && t.measured));
  });

  test('a bad flag is a usage error (exit 2)', async () => {
    const { code, stderr } = await runBench(['--stations']);
    assert.equal(code, 2);
    assert.match(stderr, /--stations needs a value/);
  });
});
