// SPEC-NOTES §4.3/§4.5 query cost controls on HTTP and graphql-ws alike: depth, aliases, cost,
// body size, subscriptions per connection; introspection and field suggestions off in production.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server';
import { gql, openClient, subscribe } from '../support/graphql-client';

const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

describe('GraphQL query limits', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_ALIASES: '5', GRAPHQL_BODY_LIMIT_BYTES: '4096' });
    await server.provisionStation('AUTH-1');
  });
  after(() => server.close());

  test('depth, alias and cost limits refuse queries with QUERY_TOO_COMPLEX over HTTP', async () => {
    const tooDeep = '{ stations { edges { node { evses { connectors { id } } } } } }'; // depth 6 > 5
    const tooManyAliases = '{ a: apiKeys { id } b: apiKeys { id } c: apiKeys { id } d: apiKeys { id } e: apiKeys { id } f: apiKeys { id } }';
    const tooCostly = '{ stations(first: 100) { edges { node { variables(first: 100) { attributes { value type } } } } } }';
    for (const query of [tooDeep, tooManyAliases, tooCostly]) {
      const { body } = await gql(server.httpUrl, server.adminKey, query);
      assert.equal(codeOf(body), 'QUERY_TOO_COMPLEX', `${query}: ${JSON.stringify(body)}`);
      assert.equal(body.data, undefined);
    }
    const allowed = await gql(server.httpUrl, server.adminKey, '{ stations { edges { node { evses { id } } } } }');
    assert.equal(allowed.body.errors, undefined, 'depth 5 passes');
  });

  test('the same limits apply over graphql-ws', async () => {
    const cases = [
      '{ stations { edges { node { evses { connectors { id } } } } } }',
      'subscription { connectorStatusChanged { a: status b: status c: status d: status e: status f: status } }',
      '{ stations(first: 100) { edges { node { variables(first: 100) { attributes { value type } } } } } }',
    ];
    for (const query of cases) {
      const sub = subscribe(server.httpUrl, server.adminKey, query);
      const item = await sub.next(10_000);
      assert.equal(item.kind, 'error', JSON.stringify(item));
      assert.equal(item.kind === 'error' && item.errors[0]?.extensions?.code, 'QUERY_TOO_COMPLEX', JSON.stringify(item));
      await sub.dispose();
    }
    const ok = subscribe(server.httpUrl, server.adminKey, '{ station(id: "AUTH-1") { id } }');
    assert.deepEqual(await ok.nextData(), { station: { id: 'AUTH-1' } });
    await ok.dispose();
  });

  test('a body over GRAPHQL_BODY_LIMIT_BYTES is refused with 413', async () => {
    const padded = (size: number) => `{ stations { edges { node { id } } } } # ${'x'.repeat(size)}`;
    const small = await gql(server.httpUrl, server.adminKey, padded(3000));
    assert.equal(small.status, 200, 'under the limit passes');
    const big = await gql(server.httpUrl, server.adminKey, padded(8000));
    assert.equal(big.status, 413);
  });

  test('graphql-ws caps subscriptions per connection; refused operations do not use up the cap', async () => {
    const client = openClient(server.httpUrl, server.adminKey);
    try {
      for (let i = 0; i < 60; i++) {
        const refused = client.subscribe('{ stations { edges { node { evses { connectors { id } } } } } }');
        assert.equal((await refused.next()).kind, 'error');
      }
      const live = [];
      for (let i = 0; i < 50; i++) live.push(client.subscribe('subscription { stationEvents { eventId } }'));
      const extra = client.subscribe('subscription { stationEvents { eventId } }');
      const item = await extra.next();
      assert.equal(item.kind === 'error' && item.errors[0]?.extensions?.code, 'QUERY_TOO_COMPLEX', JSON.stringify(item));
      for (const sub of live) await sub.dispose();
      // Completing them frees the room (asynchronously on the server).
      let answer;
      for (let attempt = 0; attempt < 50; attempt++) {
        answer = await client.subscribe('{ station(id: "AUTH-1") { id } }').next();
        if (answer.kind === 'next') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(answer, { kind: 'next', data: { station: { id: 'AUTH-1' } } }, 'room again once subscriptions completed');
    } finally {
      await client.dispose();
    }
  });

  test('introspection and field suggestions: on in development, off with NODE_ENV=production on HTTP and graphql-ws', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const typo = '{ station(id: "AUTH-1") { idd } }';
    assert.deepEqual((await gql(server.httpUrl, server.adminKey, introspection)).body.data, { __schema: { queryType: { name: 'Query' } } });
    const prod = await startTestServer({ NODE_ENV: 'production' });
    try {
      const http = await gql(prod.httpUrl, prod.adminKey, introspection);
      assert.equal(http.body.data, undefined);
      assert.match(http.body.errors?.[0]?.message ?? '', /introspection/i);
      const ws = subscribe(prod.httpUrl, prod.adminKey, introspection);
      const item = await ws.next();
      await ws.dispose();
      assert.equal(item.kind, 'error', `introspection over graphql-ws: ${JSON.stringify(item)}`);
      assert.match(item.kind === 'error' ? item.errors[0]!.message : '', /introspection/i);

      const httpTypo = await gql(prod.httpUrl, prod.adminKey, typo);
      const wsTypo = subscribe(prod.httpUrl, prod.adminKey, typo);
      const wsItem = await wsTypo.next();
      await wsTypo.dispose();
      for (const text of [JSON.stringify(httpTypo.body), JSON.stringify(wsItem)]) {
        assert.match(text, /Cannot query field/);
        assert.doesNotMatch(text, /Did you mean/, 'no schema hints');
      }
      const normal = await gql(prod.httpUrl, prod.adminKey, '{ stations { edges { node { id } } } }');
      assert.deepEqual(normal.body.data, { stations: { edges: [] } });
    } finally {
      await prod.close();
    }
  });
});
