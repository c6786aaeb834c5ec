// Issue 2 §5 access control and SPEC-NOTES §4.1/§4.2: API keys with roles on HTTP and graphql-ws,
// keys shown once and revocable, no secret readable through the API. Limits: limits.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, subscribe, subscribeReady } from '../support/graphql-client';

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name role createdAt revokedAt } } }`;
const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

describe('GraphQL API access control', () => {
  let server: TestServer;
  let viewerKey: string;
  let operatorKey: string;
  let station: SimulatedStation;

  before(async () => {
    server = await startTestServer();
    await server.provisionStation('AUTH-1');
    station = await server.connectStation('AUTH-1');
    await station.boot();
    const make = async (role: string) =>
      (await gqlData(server.httpUrl, server.adminKey, CREATE_KEY, { input: { name: `${role} key`, role } })).createApiKey.key as string;
    viewerKey = await make('viewer');
    operatorKey = await make('operator');
  });
  after(() => server.close());

  test('a request without a key or with an unknown key is HTTP 401 UNAUTHENTICATED', async () => {
    for (const key of [undefined, 'not-a-real-key', `${server.adminKey}x`]) {
      const { status, body } = await gql(server.httpUrl, key, '{ stations { edges { node { id } } } }');
      assert.equal(status, 401, `key ${key}`);
      assert.equal(codeOf(body), 'UNAUTHENTICATED');
      assert.equal(body.data, undefined);
    }
    const ok = await gql(server.httpUrl, server.adminKey, '{ stations { edges { node { id } } } }');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.data?.stations.edges.map((e: { node: { id: string } }) => e.node.id), ['AUTH-1']);
  });

  test('graphql-ws with a bad key or none is closed with 4403 Forbidden', async () => {
    for (const key of ['wrong-key', undefined]) {
      const sub = subscribe(server.httpUrl, key, 'subscription { stationConnectionChanged { stationId } }');
      const item = await sub.next(10_000);
      assert.deepEqual(item.kind === 'closed' && item.code, 4403, JSON.stringify(item));
      assert.equal(await sub.closed, 4403);
      await sub.dispose();
    }
  });

  test('viewer reads but may not send commands or provision', async () => {
    const read = await gql(server.httpUrl, viewerKey, '{ station(id: "AUTH-1") { id online } }');
    assert.deepEqual(read.body.data, { station: { id: 'AUTH-1', online: true } });
    const reset = await gql(server.httpUrl, viewerKey, 'mutation { reset(stationId: "AUTH-1", input: { type: Immediate }) { status } }');
    assert.equal(codeOf(reset.body), 'FORBIDDEN');
    const create = await gql(server.httpUrl, viewerKey, 'mutation { createStation(input: { id: "V-1", password: "0123456789abcdef" }) { station { id } } }');
    assert.equal(codeOf(create.body), 'FORBIDDEN');
  });

  test('operator sends commands but may not provision stations or manage keys', async () => {
    const cmd = await gql(server.httpUrl, operatorKey, 'mutation { clearCache(stationId: "AUTH-1") { status error { code } } }');
    assert.deepEqual(cmd.body, { data: { clearCache: { status: 'Accepted', error: null } } });
    const create = await gql(server.httpUrl, operatorKey, 'mutation { createStation(input: { id: "O-1", password: "0123456789abcdef" }) { station { id } } }');
    assert.equal(codeOf(create.body), 'FORBIDDEN');
    assert.equal((await gqlData(server.httpUrl, server.adminKey, '{ station(id: "O-1") { id } }')).station, null);
    const keys = await gql(server.httpUrl, operatorKey, '{ apiKeys { id } }');
    assert.equal(codeOf(keys.body), 'FORBIDDEN');
    const raw = await gql(server.httpUrl, operatorKey, 'mutation { sendOcppCall(stationId: "AUTH-1", action: "ClearCache", payload: {}) { response } }');
    assert.equal(codeOf(raw.body), 'FORBIDDEN');
  });

  test('the key is shown once; apiKeys never shows secrets; a revoked key is refused', async () => {
    const created = (await gqlData(server.httpUrl, server.adminKey, CREATE_KEY, { input: { name: 'temp', role: 'viewer' } })).createApiKey;
    assert.ok(created.key.length >= 40, 'at least 32 random bytes');
    assert.equal(created.apiKey.role, 'viewer');
    const listed = await gql(server.httpUrl, server.adminKey, '{ apiKeys { id name role createdAt revokedAt } }');
    const text = JSON.stringify(listed.body);
    assert.ok(listed.body.data.apiKeys.some((k: { id: string }) => k.id === created.apiKey.id));
    assert.ok(!text.includes(created.key), 'secret not listed');
    assert.ok(!text.includes(createHash('sha256').update(created.key).digest('hex')), 'hash not listed');
    const apiKeyType = await gqlData(server.httpUrl, server.adminKey, '{ __type(name: "ApiKey") { fields { name } } }');
    const fields: string[] = apiKeyType.__type.fields.map((f: { name: string }) => f.name);
    assert.ok(fields.includes('role') && fields.includes('revokedAt'), fields.join());
    for (const field of fields) assert.doesNotMatch(field, /^key$|secret|hash|password/i, `ApiKey.${field}`);

    assert.equal((await gql(server.httpUrl, created.key, '{ stations { edges { node { id } } } }')).status, 200);
    const revoked = await gqlData(server.httpUrl, server.adminKey, 'mutation ($id: ID!) { revokeApiKey(id: $id) { apiKey { id revokedAt } } }', { id: created.apiKey.id });
    assert.ok(revoked.revokeApiKey.apiKey.revokedAt);
    const after = await gql(server.httpUrl, created.key, '{ stations { edges { node { id } } } }');
    assert.equal(after.status, 401);
    assert.equal(codeOf(after.body), 'UNAUTHENTICATED');
    const ws = subscribe(server.httpUrl, created.key, 'subscription { stationConnectionChanged { stationId } }');
    assert.equal(await ws.closed, 4403);
    await ws.dispose();
  });

  test('revoking a key ends its open graphql-ws subscriptions (SPEC-NOTES §4.5)', async () => {
    const created = (await gqlData(server.httpUrl, server.adminKey, CREATE_KEY, { input: { name: 'watcher', role: 'viewer' } })).createApiKey;
    const sub = await subscribeReady(server, created.key, 'subscription { stationEvents { eventId } }');
    try {
      await gqlData(server.httpUrl, server.adminKey, 'mutation ($id: ID!) { revokeApiKey(id: $id) { apiKey { id } } }', { id: created.apiKey.id });
      await station.call('NotifyEvent', { generatedAt: new Date().toISOString(), seqNo: 0, eventData: [{ eventId: 5, timestamp: new Date().toISOString(),
        trigger: 'Alerting', actualValue: 'x', eventNotificationType: 'CustomMonitor', component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Problem' } }] });
      const item = await sub.next(1000).catch(() => undefined);
      assert.ok(item === undefined || item.kind !== 'next', `a revoked key still got ${JSON.stringify(item)}`);
    } finally {
      await sub.dispose();
    }
  });

  test('no object type exposes a password, hash or secret value', async () => {
    const typeRef = 'name kind ofType { name kind ofType { name kind ofType { name kind } } }';
    const schema = await gqlData(server.httpUrl, server.adminKey, `{ __schema { types { name kind fields { name type { ${typeRef} } } } } }`);
    const station = schema.__schema.types.find((t: { name: string }) => t.name === 'Station');
    assert.ok(station.fields.some((f: { name: string }) => f.name === 'securityProfile'), 'Station introspected');
    // A secret travels as text. Flags, enums and payload objects may name passwords (passwordChangePending,
    // rotateStationPassword); OCPP's CertificateHashData names public hashes of a certificate's issuer.
    const publicHashes = new Set(['CertificateHashData.issuerNameHash', 'CertificateHashData.issuerKeyHash']);
    const named = (t: any): string => (t.ofType ? named(t.ofType) : t.name);
    for (const type of schema.__schema.types.filter((t: { kind: string; name: string }) => t.kind === 'OBJECT' && !t.name.startsWith('__'))) {
      for (const field of type.fields) {
        if (!['String', 'JSON', 'ID'].includes(named(field.type)) || publicHashes.has(`${type.name}.${field.name}`)) continue;
        assert.doesNotMatch(field.name, /password|hash|secret/i, `${type.name}.${field.name}`);
      }
    }
    const data = await gql(server.httpUrl, server.adminKey, '{ station(id: "AUTH-1") { id securityProfile bootPolicy } }');
    assert.doesNotMatch(JSON.stringify(data.body), /scrypt|\$|passwordHash/);
  });
});
