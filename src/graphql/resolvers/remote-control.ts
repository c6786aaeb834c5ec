// Remote control mutations (block F): the command convention of commands.ts, plus the driver rule
// (issue 3 §5): a driver key starts only with its own idTokens and stops only its own sessions;
// anything else is NOT_FOUND, never FORBIDDEN.
import { RemoteStartIdInUse, sendRequestStartTransaction, type RequestStartTransactionInput } from '../../blocks/remote-control/RequestStartTransaction';
import { sendRequestStopTransaction } from '../../blocks/remote-control/RequestStopTransaction';
import { sendUnlockConnector } from '../../blocks/remote-control/UnlockConnector';
import { findStation } from '../../db/queries/stations';
import { findTransaction } from '../../db/queries/transactions';
import { ownsIdToken } from '../access';
import { DRIVER_ROLE } from '../api-keys';
import type { GraphqlContext } from '../context';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { command } from './commands';

const notFound = () => apiError('NOT_FOUND', 'Not found');

/** DateTime inputs arrive as Date objects; OCPP wants their ISO 8601 text. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const startCommand = command(async (ctx, input: RequestStartTransactionInput) => {
  try {
    return await sendRequestStartTransaction(ctx, asJson(input));
  } catch (err) {
    if (err instanceof RemoteStartIdInUse) throw apiError('CONFLICT', err.message);
    throw err;
  }
});

const stopCommand = command(sendRequestStopTransaction);

/** A driver may stop a transaction only when it was started with one of the key's idTokens. */
async function assertOwnTransaction(context: GraphqlContext, stationId: string, transactionId: string): Promise<void> {
  const station = await findStation(context.services.db, stationId);
  const transaction = station && (await findTransaction(context.services.db, station.id, transactionId));
  const owner = transaction?.idToken && transaction.idTokenType ? { idToken: transaction.idToken, type: transaction.idTokenType } : undefined;
  if (!owner || !ownsIdToken(context.principal, owner.idToken, owner.type)) throw notFound();
}

export const remoteControlResolvers: Resolvers = {
  Mutation: {
    requestStartTransaction(parent, args, context) {
      const { idToken } = args.input;
      if (context.principal.role === DRIVER_ROLE && !ownsIdToken(context.principal, idToken.idToken, idToken.type)) throw notFound();
      return startCommand(parent, args, context);
    },
    async requestStopTransaction(parent, args, context) {
      if (context.principal.role === DRIVER_ROLE) await assertOwnTransaction(context, args.stationId, args.input.transactionId);
      return stopCommand(parent, args, context);
    },
    unlockConnector: command(sendUnlockConnector),
  },
};
