// GraphQL metrics: operations by transport and type, graphql-ws subscriptions open now.
import { Gauge, type Registry } from 'prom-client';
import type { GraphqlObserver, GraphqlTransport, OperationType } from '../graphql/observer';
import { CellCounter, type CounterCell } from './cells';

const TYPES: readonly OperationType[] = ['query', 'mutation', 'subscription', 'invalid'];

export class GraphqlMetrics implements GraphqlObserver {
  private open = 0;
  private readonly operations: Record<GraphqlTransport, Map<OperationType, CounterCell>>;

  constructor(registry: Registry) {
    const counter = new CellCounter(registry, 'chargegraph_graphql_operations_total',
      'GraphQL operations by transport (http, ws) and type; invalid = HTTP request refused before execution', ['transport', 'type']);
    const row = (transport: GraphqlTransport) => new Map(TYPES.map((type) => [type, counter.cell({ transport, type })]));
    this.operations = { http: row('http'), ws: row('ws') };
    const metrics = this;
    new Gauge({
      name: 'chargegraph_graphql_subscriptions_open', help: 'graphql-ws subscriptions currently running', registers: [registry],
      collect() {
        this.set(metrics.open);
      },
    });
  }

  operation(transport: GraphqlTransport, type: OperationType): void {
    (this.operations[transport].get(type) ?? this.operations[transport].get('invalid')!).inc();
  }

  subscriptionOpened(): void {
    this.open += 1;
  }

  subscriptionClosed(): void {
    this.open = Math.max(0, this.open - 1);
  }
}
