// GraphQL over HTTP (Apollo Server, our own small node:http integration with a body limit) and
// over graphql-ws on the same path. Authentication and query limits apply to both.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Services } from '../blocks/services';
import { subscriptionScope } from './access';
import { authenticateKey, bearerToken, type Principal } from './api-keys';
import type { GraphqlContext } from './context';
import { createLoaders } from './loaders';
import { queryLimitRule } from './limits';
import { buildSchema } from './schema';
import { sharedSubscriptions } from './shared-subscriptions';
import { SocketsByKey } from './sockets-by-key';
import { NO_GRAPHQL_OBSERVER, observerPlugin, trackWsOperation, untrackWsOperation, untrackWsSocket, type GraphqlObserver } from './observer';

export interface GraphqlService {
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

const CLOSE_FORBIDDEN = 4403;
const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export async function createGraphqlService(services: Services, observer: GraphqlObserver = NO_GRAPHQL_OBSERVER): Promise<GraphqlService> {
  const { config, log } = services;
  const production = config.nodeEnv === 'production';
  const schema = buildSchema();
  const rules = [queryLimitRule({ maxDepth: config.graphqlMaxDepth, maxAliases: config.graphqlMaxAliases, maxCost: config.graphqlMaxCost })];
  const parseOptions = { maxTokens: config.graphqlMaxTokens };
  // graphql-ws runs none of Apollo's request pipeline: introspection off in production and field
  // suggestions hidden (Apollo's hideSchemaDetailsFromClientErrors) are applied here as well.
  const wsRules = [...specifiedRules, ...rules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  const withoutSuggestions = (e: GraphQLError) =>
    new GraphQLError(e.message.replace(/ ?Did you mean(.+?)\?$/, ''), { nodes: e.nodes, extensions: e.extensions });

  const apollo = new ApolloServer<GraphqlContext>({
    schema,
    introspection: !production,
    validationRules: rules,
    parseOptions,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: !production,
    persistedQueries: false,
    // main.ts owns the shutdown order; Apollo must not react to signals on its own.
    stopOnTerminationSignals: false,
    plugins: [observerPlugin(observer), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
    formatError(formatted, error) {
      // Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED; keep the limit rules' own
      // code so HTTP answers like graphql-ws does (QUERY_TOO_COMPLEX).
      const original = error instanceof GraphQLError ? error.originalError : undefined;
      if (original instanceof GraphQLError && original.extensions?.code === 'QUERY_TOO_COMPLEX') {
        formatted = { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_COMPLEX' } };
      }
      const code = formatted.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR') log.error({ err: error }, 'graphql resolver failed');
      return production && code === 'INTERNAL_SERVER_ERROR' ? { message: 'Internal server error', extensions: { code } } : formatted;
    },
  });
  await apollo.start();

  const contextFor = (principal: Principal): GraphqlContext => ({ services, principal, loaders: createLoaders(services.db) });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await authenticateKey(services, bearerToken(req.headers.authorization));
    if (!principal) {
      return reply(res, 401, { errors: [{ message: 'Missing or invalid API key', extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': 'Bearer' });
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        const text = await readBody(req, config.graphqlBodyLimitBytes);
        body = text.length ? JSON.parse(text) : undefined;
      } catch (err) {
        const tooLarge = err instanceof BodyTooLarge;
        return reply(res, tooLarge ? 413 : 400, { errors: [{ message: tooLarge ? 'Request body too large' : 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://x').search, body },
      context: async () => contextFor(principal),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') return void res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.graphqlBodyLimitBytes });
  // SPEC-NOTES §4.5: a revoked key's open connections end at once.
  const socketsByKey = new SocketsByKey();
  const stopRevocations = services.bus.on('api-key-revoked', (e) => socketsByKey.closeAll(e.keyId, CLOSE_FORBIDDEN, 'Forbidden'));
  const wsServer = useServer<Record<string, unknown>, { principal?: Principal; subscriptions?: number }>(
    {
      schema,
      async onConnect(ctx) {
        const principal = await authenticateKey(services, bearerToken(ctx.connectionParams?.authorization));
        if (!principal) return false; // closes with 4403 Forbidden
        ctx.extra.principal = principal;
        ctx.extra.subscriptions = 0;
        socketsByKey.add(principal.keyId, ctx.extra.socket);
        return true;
      },
      onClose(ctx) {
        untrackWsSocket(observer, ctx.extra);
        if (ctx.extra.principal) socketsByKey.remove(ctx.extra.principal.keyId, ctx.extra.socket);
      },
      context: (ctx) => contextFor(ctx.extra.principal!),
      subscribe: sharedSubscriptions(
        (args) => subscriptionScope((args.contextValue as GraphqlContext).principal),
        (context) => contextFor((context as GraphqlContext).principal),
      ),
      onSubscribe(ctx, _id, payload) {
        // The same limits as HTTP: token cap at parse, depth/alias/cost rules at validation.
        // Counted only once the operation runs: graphql-ws calls onComplete only for those.
        if ((ctx.extra.subscriptions ?? 0) >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [new GraphQLError('Too many subscriptions on this connection', { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
        }
        let document;
        try {
          document = parse(payload.query, parseOptions);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('Invalid query')];
        }
        const errors = validate(schema, document, wsRules);
        if (errors.length > 0) return errors.map(withoutSuggestions);
        const args: ExecutionArgs = {
          schema, document, variableValues: payload.variables ?? null, operationName: payload.operationName ?? null,
          contextValue: contextFor(ctx.extra.principal!),
        };
        ctx.extra.subscriptions = (ctx.extra.subscriptions ?? 0) + 1;
        trackWsOperation(observer, ctx.extra, _id, args);
        return args;
      },
      onComplete(ctx, id) {
        untrackWsOperation(observer, ctx.extra, id);
        ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
      },
    },
    wss,
  );

  return {
    handleHttp,
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async close() {
      stopRevocations();
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await wsServer.dispose();
      await apollo.stop();
    },
  };
}

export { CLOSE_FORBIDDEN };
