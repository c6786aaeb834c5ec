// Hooks through which the GraphQL server reports operations and open graphql-ws subscriptions,
// so metrics stay outside the API code (app.ts wires an implementation).
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, type ExecutionArgs } from 'graphql';

export type GraphqlTransport = 'http' | 'ws';
/** `invalid`: the request never reached execution (unparsable, failed validation or limits). */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'invalid';

export interface GraphqlObserver {
  operation(transport: GraphqlTransport, type: OperationType): void;
  subscriptionOpened(): void;
  subscriptionClosed(): void;
}

export const NO_GRAPHQL_OBSERVER: GraphqlObserver = { operation() {}, subscriptionOpened() {}, subscriptionClosed() {} };

/** Counts every HTTP request Apollo answers, by operation type. */
export function observerPlugin(observer: GraphqlObserver): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(request) {
          observer.operation('http', request.operation?.operation ?? 'invalid');
        },
      };
    },
  };
}

// Subscription ids still open, per graphql-ws connection (keyed by its `extra` object).
const open = new WeakMap<object, Set<string>>();

/** A graphql-ws operation passed validation and is about to run. */
export function trackWsOperation(observer: GraphqlObserver, extra: object, id: string, args: ExecutionArgs): void {
  const type = getOperationAST(args.document, args.operationName)?.operation ?? 'invalid';
  observer.operation('ws', type);
  if (type !== 'subscription') return;
  let ids = open.get(extra);
  if (!ids) open.set(extra, (ids = new Set()));
  ids.add(id);
  observer.subscriptionOpened();
}

/** graphql-ws completed an operation (client stop, end of stream, or its socket closing). */
export function untrackWsOperation(observer: GraphqlObserver, extra: object, id: string): void {
  if (open.get(extra)?.delete(id)) observer.subscriptionClosed();
}

/** The connection closed: whatever graphql-ws did not complete is closed now. */
export function untrackWsSocket(observer: GraphqlObserver, extra: object): void {
  const ids = open.get(extra);
  if (!ids) return;
  for (let i = 0; i < ids.size; i++) observer.subscriptionClosed();
  open.delete(extra);
}
