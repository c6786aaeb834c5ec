// N09/N10: ask the station to report and/or clear what it holds about one customer, then wait for
// the NotifyCustomerInformation parts (NotifyCustomerInformation.ts) like getReport waits for NotifyReport.
// With clearCsmsData the CSMS also forgets what it holds itself (customer-data.ts), once the station accepted.
import { forgetIdToken, type CsmsDataCleared } from '../../db/queries/customer-data';
import {
  createCustomerInformationRequest, findCustomerInformationRequest, recordCsmsDataCleared, setCustomerInformationStatus,
  type CustomerInformationRow,
} from '../../db/queries/customer-information';
import type { CustomerInformationRequest, CustomerInformationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export interface CustomerInformationInput extends Omit<CustomerInformationRequest, 'requestId'> {
  /** Generated (random positive int32) when omitted. */
  requestId?: number;
  /** N10: also remove the CSMS's own data about this customer (only with clear). */
  clearCsmsData?: boolean;
}

export interface CustomerInformationOutcome {
  response: CustomerInformationResponse;
  requestId: number;
  report: CustomerInformationRow;
  csmsDataCleared: CsmsDataCleared | null;
}

/** The input breaks a rule the CSMS must follow (N09.FR.04, N10.FR.08, N09.FR.07, N10.FR.07) or reuses a requestId. */
export class CustomerInformationInputError extends Error {
  constructor(message: string, readonly conflict = false) {
    super(message);
  }
}

function check(input: CustomerInformationInput): void {
  const references = [input.idToken, input.customerIdentifier, input.customerCertificate].filter((r) => r !== undefined);
  if (references.length !== 1) {
    throw new CustomerInformationInputError('give exactly one of idToken, customerIdentifier or customerCertificate');
  }
  if (!input.report && !input.clear) throw new CustomerInformationInputError('report or clear must be true');
  if (input.clearCsmsData && !input.clear) throw new CustomerInformationInputError('clearCsmsData needs clear: true');
}

export async function sendCustomerInformation(ctx: Ctx, input: CustomerInformationInput): Promise<CustomerInformationOutcome> {
  check(input);
  const { clearCsmsData = false, requestId: wanted, ...fields } = input;
  const created = await createCustomerInformationRequest(
    ctx.db,
    {
      stationId: ctx.stationId, report: fields.report, clear: fields.clear, customerIdentifier: fields.customerIdentifier,
      idToken: fields.idToken, customerCertificate: fields.customerCertificate, clearCsmsData,
    },
    wanted,
  );
  if (!created) throw new CustomerInformationInputError(`requestId ${wanted} is already used for this station`, true);
  const { requestId } = created;
  const completion = ctx.bus.subscribe(
    'customer-information-status',
    (e) => e.stationId === ctx.stationId && e.requestId === requestId && e.status === 'Complete',
  );
  try {
    let response: CustomerInformationResponse;
    try {
      response = await ctx.call('CustomerInformation', { ...fields, requestId });
    } catch (err) {
      await setCustomerInformationStatus(ctx.db, ctx.stationId, requestId, 'Failed');
      throw err;
    }
    await setCustomerInformationStatus(ctx.db, ctx.stationId, requestId, response.status, response.statusInfo ?? null);
    let csmsDataCleared: CsmsDataCleared | null = null;
    if (response.status === 'Accepted' && clearCsmsData && fields.idToken) {
      csmsDataCleared = await forgetIdToken(ctx.db, fields.idToken.idToken, fields.idToken.type, created.id);
      await recordCsmsDataCleared(ctx.db, created.id, csmsDataCleared);
      ctx.log.info({ stationId: ctx.stationId, requestId, ...csmsDataCleared }, 'customer data cleared from the CSMS');
    }
    // N09.FR.05/06, N10.FR.03/04/06: an accepted request is always followed by at least one part.
    const current = await findCustomerInformationRequest(ctx.db, ctx.stationId, requestId);
    if (response.status === 'Accepted' && current?.status !== 'Complete') {
      await Promise.race([completion.next(), new Promise((r) => setTimeout(r, ctx.config.reportTimeoutMs).unref())]);
    }
    const report = (await findCustomerInformationRequest(ctx.db, ctx.stationId, requestId)) ?? created;
    return { response, requestId, report, csmsDataCleared };
  } finally {
    await completion.return?.();
  }
}
