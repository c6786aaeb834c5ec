// N09/N10: the customerInformation command and the stored customer information reports.
import { CustomerInformationInputError, sendCustomerInformation, type CustomerInformationInput } from '../../blocks/diagnostics/CustomerInformation';
import {
  customerInformationPartsOf, findCustomerInformationRequest, listCustomerInformationRequests, type CustomerInformationPartRow,
} from '../../db/queries/customer-information';
import { findStation } from '../../db/queries/stations';
import { BatchLoader } from '../batch-loader';
import type { GraphqlContext } from '../context';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { command } from './commands';
import { pageSize } from './stations';

/** Parts of the reports resolved in one request, loaded with one query. */
const partLoaders = new WeakMap<GraphqlContext, BatchLoader<number, CustomerInformationPartRow[]>>();

function partsOf(context: GraphqlContext, rowId: number): Promise<CustomerInformationPartRow[]> {
  let loader = partLoaders.get(context);
  if (!loader) {
    loader = new BatchLoader(async (ids) => {
      const byReport = new Map<number, CustomerInformationPartRow[]>();
      for (const part of await customerInformationPartsOf(context.services.db, ids)) {
        byReport.set(part.requestRowId, [...(byReport.get(part.requestRowId) ?? []), part]);
      }
      return byReport;
    }, []);
    partLoaders.set(context, loader);
    setImmediate(() => partLoaders.delete(context)); // cache only within one round of resolving
  }
  return loader.load(rowId);
}

const customerInformationCommand = command(async (ctx, input: CustomerInformationInput) => {
  try {
    const { response, requestId, report, csmsDataCleared } = await sendCustomerInformation(ctx, input);
    return { ...response, requestId, report, csmsDataCleared };
  } catch (err) {
    if (err instanceof CustomerInformationInputError) throw apiError(err.conflict ? 'CONFLICT' : 'BAD_USER_INPUT', err.message);
    throw err;
  }
});

export const customerInformationResolvers: Resolvers = {
  Mutation: {
    customerInformation: customerInformationCommand,
  },
  Query: {
    async customerInformationReport(_, { stationId, requestId }, { services }) {
      const station = await findStation(services.db, stationId);
      return (station && (await findCustomerInformationRequest(services.db, station.id, requestId))) ?? null;
    },
  },
  Station: {
    customerInformationReports: (s, { first }, { services }) => listCustomerInformationRequests(services.db, s.id, pageSize(first, 10)),
  },
  CustomerInformationReport: {
    idToken: (r) => (r.idToken === null ? null : { idToken: r.idToken, type: r.idTokenType as never, additionalInfo: null }),
    customerCertificate: (r) => (r.customerCertificate ?? null) as never,
    csmsDataCleared: (r) => (r.csmsDataCleared ?? null) as never,
    statusInfo: (r) => (r.statusInfo ?? null) as never,
    parts: (r, _, context) => partsOf(context, r.id),
    data: async (r, _, context) => (await partsOf(context, r.id)).map((p) => p.data).join(''),
  },
};
