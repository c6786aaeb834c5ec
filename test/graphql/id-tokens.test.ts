// Issue 3 §1: authorization data through GraphQL: upsert (mirroring OCPP AuthorizationData), bulk
// import in one mutation, delete, lookup, cursor paging with filters, input checked against OCPP limits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gql, gqlData } from '../support/graphql-client';
import { authorizationData, UPSERT_ID_TOKENS } from '../support/id-tokens';
import { startTestServer, type TestServer } from '../support/server';

const DATA = `idToken { idToken type additionalInfo { additionalIdToken type } }
  idTokenInfo { status cacheExpiryDateTime chargingPriority language1 language2 evseId groupIdToken { idToken type }
    personalMessage { format language content } }
  expiresAt createdAt updatedAt`;
const UPSERT = `mutation ($input: AuthorizationDataInput!) { upsertIdToken(input: $input) { authorizationData { ${DATA} } } }`;
const GET = `query ($idToken: String!, $type: IdTokenEnum!) { idToken(idToken: $idToken, type: $type) { ${DATA} } }`;
const DELETE = `mutation ($idToken: IdTokenInput!) { deleteIdToken(idToken: $idToken) { idToken { idToken type } deleted } }`;
const LIST = `query ($first: Int, $after: String, $filter: IdTokenFilter) { idTokens(first: $first, after: $after, filter: $filter) {
  edges { cursor node { idToken { idToken type } idTokenInfo { status groupIdToken { idToken } } } } pageInfo { hasNextPage endCursor } } }`;
const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

const FULL = {
  idToken: { idToken: 'RFID-0001', type: 'ISO14443', additionalInfo: [{ additionalIdToken: 'contract-9', type: 'ContractId' }] },
  idTokenInfo: {
    status: 'Accepted', cacheExpiryDateTime: '2030-01-01T00:00:00.000Z', chargingPriority: -2, language1: 'de', language2: 'en',
    evseId: [2], groupIdToken: { idToken: 'FLEET-7', type: 'Central' }, personalMessage: { format: 'ASCII', language: 'en', content: 'Hi' },
  },
  expiresAt: '2031-06-01T12:00:00.000Z',
};

describe('GraphQL authorization data (idTokens)', () => {
  let server: TestServer;
  let viewerKey: string;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const raw = (query: string, variables?: Record<string, unknown>, key = server.adminKey) => gql(server.httpUrl, key, query, variables);

  before(async () => {
    server = await startTestServer({ GRAPHQL_BODY_LIMIT_BYTES: String(4 * 1024 * 1024) });
    const created = await api('mutation { createApiKey(input: { name: "v", role: viewer }) { key } }');
    viewerKey = created.createApiKey.key;
  });
  after(() => server.close());

  test('upsertIdToken stores every AuthorizationData field; idToken finds it case-insensitively', async () => {
    const saved = (await api(UPSERT, { input: FULL })).upsertIdToken.authorizationData;
    assert.deepEqual({ idToken: saved.idToken, idTokenInfo: saved.idTokenInfo, expiresAt: saved.expiresAt }, FULL);
    const found = (await api(GET, { idToken: 'rfid-0001', type: 'ISO14443' })).idToken;
    assert.deepEqual(found, saved);
    assert.equal((await api(GET, { idToken: 'RFID-0001', type: 'ISO15693' })).idToken, null, 'type must match');
  });

  test('upserting again replaces the entry (same row, new updatedAt, absent fields cleared)', async () => {
    const before = (await api(GET, { idToken: 'RFID-0001', type: 'ISO14443' })).idToken;
    await new Promise((r) => setTimeout(r, 20));
    const input = { idToken: { idToken: 'rfid-0001', type: 'ISO14443' }, idTokenInfo: { status: 'Blocked' } };
    const after = (await api(UPSERT, { input })).upsertIdToken.authorizationData;
    assert.equal(after.idTokenInfo.status, 'Blocked');
    assert.equal(after.idTokenInfo.groupIdToken, null);
    assert.equal(after.idToken.idToken, 'rfid-0001', 'the latest spelling is kept');
    assert.equal(after.createdAt, before.createdAt);
    assert.ok(after.updatedAt > before.updatedAt);
    const all = (await api(LIST, { filter: { text: 'rfid-0001' } })).idTokens.edges;
    assert.equal(all.length, 1);
  });

  test('upsertIdTokens imports 5,000 tokens in one mutation; a re-import updates; repeats keep the last entry', async () => {
    const tokens = Array.from({ length: 5000 }, (_, i) => authorizationData({ idToken: `BULK-${String(i).padStart(5, '0')}`, group: i % 2 ? 'ODD' : 'EVEN' }));
    const started = Date.now();
    assert.deepEqual((await api(UPSERT_ID_TOKENS, { input: tokens })).upsertIdTokens, { count: 5000, inserted: 5000, updated: 0 });
    assert.ok(Date.now() - started < 60_000, 'bulk import is fast');
    const again = [...tokens.slice(0, 10), authorizationData({ idToken: 'bulk-00000', status: 'Blocked' }), authorizationData({ idToken: 'BULK-NEW' })];
    assert.deepEqual((await api(UPSERT_ID_TOKENS, { input: again })).upsertIdTokens, { count: 11, inserted: 1, updated: 10 });
    assert.equal((await api(GET, { idToken: 'BULK-00000', type: 'ISO14443' })).idToken.idTokenInfo.status, 'Blocked');
    assert.deepEqual((await api(UPSERT_ID_TOKENS, { input: [] })).upsertIdTokens, { count: 0, inserted: 0, updated: 0 });
  });

  test('a bulk import is all or nothing, capped at 10,000 entries', async () => {
    const input = [authorizationData({ idToken: 'ALL-OR-NONE-1' }), authorizationData({ idToken: 'x'.repeat(37) })];
    const { body } = await raw(UPSERT_ID_TOKENS, { input });
    assert.equal(codeOf(body), 'BAD_USER_INPUT');
    assert.match(body.errors![0]!.message, /input\[1\]\.idToken\.idToken/);
    assert.equal((await api(GET, { idToken: 'ALL-OR-NONE-1', type: 'ISO14443' })).idToken, null);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ idToken: { idToken: `M${i}`, type: 'Local' }, idTokenInfo: { status: 'Accepted' } }));
    assert.equal(codeOf((await raw(UPSERT_ID_TOKENS, { input: tooMany })).body), 'BAD_USER_INPUT');
  });

  test('idTokens pages by cursor and filters by status, type, group and text', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 60; page++) {
      const conn: any = (await api(LIST, { first: 100, after, filter: { groupIdToken: 'odd' } })).idTokens;
      seen.push(...conn.edges.map((e: any) => e.node.idToken.idToken));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    assert.equal(seen.length, 2500);
    assert.equal(new Set(seen).size, 2500);
    assert.deepEqual(seen.slice(0, 2), ['BULK-00001', 'BULK-00003'], 'in the order first stored');
    const blocked = (await api(LIST, { filter: { status: 'Blocked', type: 'ISO14443' } })).idTokens.edges.map((e: any) => e.node.idToken.idToken);
    assert.deepEqual(blocked, ['rfid-0001', 'bulk-00000']);
    const text = (await api(LIST, { filter: { text: 'k-0049' } })).idTokens.edges.map((e: any) => e.node.idToken.idToken);
    assert.deepEqual(text, Array.from({ length: 10 }, (_, i) => `BULK-0049${i}`));
    assert.equal((await api(LIST, { filter: { text: '%' } })).idTokens.edges.length, 0, 'wildcards are literal');
    assert.equal(codeOf((await raw(LIST, { first: 101 })).body), 'BAD_USER_INPUT');
    assert.equal(codeOf((await raw(LIST, { after: 'not-a-cursor' })).body), 'BAD_USER_INPUT');
  });

  test('deleteIdToken removes one entry (case-insensitive); deleting again reports deleted: false', async () => {
    await api(UPSERT, { input: authorizationData({ idToken: 'GONE-1', type: 'MacAddress' }) });
    const first = (await api(DELETE, { idToken: { idToken: 'gone-1', type: 'MacAddress' } })).deleteIdToken;
    assert.deepEqual(first, { idToken: { idToken: 'GONE-1', type: 'MacAddress' }, deleted: true });
    assert.equal((await api(GET, { idToken: 'GONE-1', type: 'MacAddress' })).idToken, null);
    assert.equal((await api(DELETE, { idToken: { idToken: 'GONE-1', type: 'MacAddress' } })).deleteIdToken.deleted, false);
  });

  test('input outside the OCPP limits is BAD_USER_INPUT and stores nothing', async () => {
    const info = (idTokenInfo: object) => ({ idToken: { idToken: 'LIMITS-1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted', ...idTokenInfo } });
    const cases: Array<[string, object]> = [
      ['empty idToken', { idToken: { idToken: '', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } }],
      ['37 characters', { idToken: { idToken: 'A'.repeat(37), type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } }],
      ['NoAuthorization', { idToken: { idToken: 'X', type: 'NoAuthorization' }, idTokenInfo: { status: 'Accepted' } }],
      ['NUL', { idToken: { idToken: 'A\u0000B', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } }],
      ['additionalInfo type', { idToken: { idToken: 'LIMITS-1', type: 'ISO14443', additionalInfo: [{ additionalIdToken: 'a', type: 'T'.repeat(51) }] }, idTokenInfo: { status: 'Accepted' } }],
      ['chargingPriority', info({ chargingPriority: 10 })],
      ['evseId empty', info({ evseId: [] })],
      ['evseId 0', info({ evseId: [0] })],
      ['language1', info({ language1: 'much-too-long' })],
      ['personalMessage', info({ personalMessage: { format: 'UTF8', content: 'x'.repeat(513) } })],
      ['groupIdToken', info({ groupIdToken: { idToken: 'G'.repeat(37), type: 'Central' } })],
      ['status enum', info({ status: 'Maybe' })],
      ['expiresAt without zone', { ...info({}), expiresAt: '2030-01-01T00:00:00' }],
    ];
    for (const [what, input] of cases) {
      const { body } = await raw(UPSERT, { input });
      assert.equal(codeOf(body), 'BAD_USER_INPUT', `${what}: ${JSON.stringify(body.errors)}`);
    }
    assert.equal((await api(GET, { idToken: 'LIMITS-1', type: 'ISO14443' })).idToken, null);
    assert.equal(codeOf((await raw(DELETE, { idToken: { idToken: '', type: 'ISO14443' } })).body), 'BAD_USER_INPUT');
  });

  test('viewers read authorization data; writing needs the operator role', async () => {
    const read = await raw(GET, { idToken: 'BULK-00001', type: 'ISO14443' }, viewerKey);
    assert.equal(read.body.data.idToken.idToken.idToken, 'BULK-00001');
    for (const [query, variables] of [
      [UPSERT, { input: authorizationData({ idToken: 'VIEWER-1' }) }],
      [UPSERT_ID_TOKENS, { input: [authorizationData({ idToken: 'VIEWER-1' })] }],
      [DELETE, { idToken: { idToken: 'BULK-00001', type: 'ISO14443' } }],
    ] as const) {
      assert.equal(codeOf((await raw(query, variables, viewerKey)).body), 'FORBIDDEN');
    }
  });
});
