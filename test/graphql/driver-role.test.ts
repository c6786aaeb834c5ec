// Issue 3 §5, the mobile-app case: an API key with role `driver` bound to idTokens. Outside its own
// sessions nothing exists for it: queries answer null or empty, mutations and subscriptions NOT_FOUND.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import { checkAccess, ownsIdToken, PROCEED } from '../../src/graphql/access';
import type { Principal } from '../../src/graphql/api-keys';
import { gql, gqlData, subscribe } from '../support/graphql-client';
import { startTestServer, type TestServer } from '../support/server';

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name role idTokens { idToken type } } } }`;
const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;
const driver = (idTokens: Principal['idTokens']): Principal => ({ keyId: 'k', role: 'driver', idTokens });

describe('API keys with the driver role', () => {
  let server: TestServer;
  let driverKey: string;
  const admin = (query: string, variables?: Record<string, unknown>) => gql(server.httpUrl, server.adminKey, query, variables);
  const asDriver = (query: string, variables?: Record<string, unknown>) => gql(server.httpUrl, driverKey, query, variables);

  before(async () => {
    server = await startTestServer();
    await server.provisionStation('DRV-1');
    const station = await server.connectStation('DRV-1');
    await station.boot();
    const { body } = await admin(CREATE_KEY, {
      input: { name: 'Alice app', role: 'driver', idTokens: [{ idToken: 'ALICE-RFID', type: 'ISO14443' }, { idToken: 'alice-app', type: 'Central' }] },
    });
    driverKey = body.data.createApiKey.key;
    assert.deepEqual(body.data.createApiKey.apiKey.idTokens, [{ idToken: 'ALICE-RFID', type: 'ISO14443' }, { idToken: 'alice-app', type: 'Central' }]);
  });
  after(() => server.close());

  test('createApiKey binds a driver key to its idTokens; apiKeys lists them (null for staff keys)', async () => {
    const { body } = await admin('{ apiKeys { name role idTokens { idToken type } } }');
    const keys = body.data.apiKeys as Array<{ name: string; role: string; idTokens: unknown }>;
    assert.deepEqual(keys.find((k) => k.name === 'Alice app'), {
      name: 'Alice app', role: 'driver', idTokens: [{ idToken: 'ALICE-RFID', type: 'ISO14443' }, { idToken: 'alice-app', type: 'Central' }],
    });
    assert.equal(keys.find((k) => k.role === 'admin')!.idTokens, null);
  });

  test('idTokens are required for a driver key and refused for other roles', async () => {
    const cases: object[] = [
      { name: 'd', role: 'driver' },
      { name: 'd', role: 'driver', idTokens: [] },
      { name: 'd', role: 'driver', idTokens: [{ idToken: 'A'.repeat(37), type: 'ISO14443' }] },
      { name: 'd', role: 'driver', idTokens: [{ idToken: '', type: 'NoAuthorization' }] },
      { name: 'd', role: 'driver', idTokens: Array.from({ length: 101 }, (_, i) => ({ idToken: `T${i}`, type: 'Local' })) },
      { name: 'v', role: 'viewer', idTokens: [{ idToken: 'X', type: 'ISO14443' }] },
    ];
    for (const input of cases) assert.equal(codeOf((await admin(CREATE_KEY, { input })).body), 'BAD_USER_INPUT', JSON.stringify(input).slice(0, 80));
  });

  test('a driver sees no stations, keys or authorization data: null and empty, not FORBIDDEN', async () => {
    const { status, body } = await asDriver(`{ station(id: "DRV-1") { id } stations { edges { node { id } } pageInfo { hasNextPage endCursor } }
      apiKeys { id } idToken(idToken: "ALICE-RFID", type: ISO14443) { expiresAt } idTokens { edges { cursor } } }`);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined);
    assert.deepEqual(body.data, {
      station: null, stations: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } }, apiKeys: [], idToken: null, idTokens: { edges: [] },
    });
    const asAdmin = await gqlData(server.httpUrl, server.adminKey, '{ station(id: "DRV-1") { id online } }');
    assert.deepEqual(asAdmin.station, { id: 'DRV-1', online: true }, 'the data exists');
  });

  test('a driver cannot reset a station, provision, manage keys or tokens: NOT_FOUND', async () => {
    for (const mutation of [
      'mutation { reset(stationId: "DRV-1", input: { type: Immediate }) { status } }',
      'mutation { clearCache(stationId: "DRV-1") { status } }',
      'mutation { deleteStation(id: "DRV-1") { deleted } }',
      'mutation { createApiKey(input: { name: "x", role: admin }) { key } }',
      'mutation { upsertIdToken(input: { idToken: { idToken: "ALICE-RFID", type: ISO14443 }, idTokenInfo: { status: Accepted } }) { authorizationData { expiresAt } } }',
    ]) {
      const { body } = await asDriver(mutation);
      assert.equal(codeOf(body), 'NOT_FOUND', mutation);
      assert.equal(body.data, null);
    }
    const still = await gqlData(server.httpUrl, server.adminKey, '{ station(id: "DRV-1") { online } }');
    assert.equal(still.station.online, true, 'nothing happened to the station');
  });

  test('a driver cannot subscribe to station events: NOT_FOUND', async () => {
    const sub = subscribe(server.httpUrl, driverKey, 'subscription { connectorStatusChanged { stationId } }');
    const item = await sub.next(5000);
    // graphql-ws delivers an error raised while subscribing as a result carrying errors, then completes.
    const errors = item.kind === 'error' || item.kind === 'next' ? item.errors : undefined;
    assert.equal(errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(item));
    assert.equal(item.kind === 'next' ? item.data ?? null : null, null);
    await sub.dispose();
  });

  test('a revoked driver key is refused like any other', async () => {
    const { body } = await admin(CREATE_KEY, { input: { name: 'Bob app', role: 'driver', idTokens: [{ idToken: 'BOB', type: 'KeyCode' }] } });
    await admin('mutation ($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } } }', { id: body.data.createApiKey.apiKey.id });
    assert.equal((await gql(server.httpUrl, body.data.createApiKey.key, '{ stations { edges { cursor } } }')).status, 401);
  });

  test('the driver fields reach their resolvers; ownsIdToken matches the value case-insensitively and the type exactly', () => {
    const principal = driver([{ idToken: 'ALICE-RFID', type: 'ISO14443' }]);
    const any = new GraphQLNonNull(new GraphQLList(GraphQLString));
    for (const [root, field] of [
      ['Query', 'transactions'], ['Query', 'transaction'], ['Subscription', 'transactionUpdated'],
      ['Subscription', 'meterValuesReceived'], ['Mutation', 'requestStartTransaction'], ['Mutation', 'requestStopTransaction'],
    ] as const) {
      assert.equal(checkAccess(principal, root, field, any), PROCEED, `${root}.${field}`);
    }
    const payload = new GraphQLNonNull(new GraphQLObjectType({ name: 'P', fields: { x: { type: GraphQLString } } }));
    assert.throws(() => checkAccess(principal, 'Query', 'somethingElse', payload), /Not found/);
    assert.equal(ownsIdToken(principal, 'alice-rfid', 'ISO14443'), true);
    assert.equal(ownsIdToken(principal, 'ALICE-RFID', 'ISO15693'), false);
    assert.equal(ownsIdToken(principal, 'BOB', 'ISO14443'), false);
    assert.equal(ownsIdToken({ keyId: 'a', role: 'admin', idTokens: [] }, 'ALICE-RFID', 'ISO14443'), false, 'staff keys own no tokens');
  });
});
