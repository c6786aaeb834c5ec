// CustomerInformation (N09/N10): the station reports and/or clears what it holds about one customer
// (records kept per idToken, customerIdentifier or certificate serial, plus its current sessions),
// in NotifyCustomerInformation parts of at most 512 characters.
import type { DeviceModel } from './device-model';
import { field, isObject, readInteger, readString } from './request-fields';
import type { StationContext } from './station-context';

const PART_SIZE = 512;

/** Customer data of one simulated station; tests and the CLI add lines with `customerRecords(station.model)`. */
export class CustomerRecords {
  private readonly lines = new Map<string, string[]>();

  add(reference: CustomerReference, line: string): void {
    const key = referenceKey(reference);
    this.lines.set(key, [...(this.lines.get(key) ?? []), line]);
  }

  get(reference: CustomerReference): string[] {
    return this.lines.get(referenceKey(reference)) ?? [];
  }

  clear(reference: CustomerReference): void {
    this.lines.delete(referenceKey(reference));
  }
}

export type CustomerReference =
  | { idToken: { idToken: string; type: string } }
  | { customerIdentifier: string }
  | { customerCertificate: { serialNumber: string } };

function referenceKey(r: CustomerReference): string {
  if ('idToken' in r) return `idToken/${r.idToken.type}/${r.idToken.idToken.toLowerCase()}`;
  if ('customerIdentifier' in r) return `customer/${r.customerIdentifier}`;
  return `certificate/${r.customerCertificate.serialNumber}`;
}

const records = new WeakMap<DeviceModel, CustomerRecords>();

export function customerRecords(model: DeviceModel): CustomerRecords {
  let r = records.get(model);
  if (!r) records.set(model, (r = new CustomerRecords()));
  return r;
}

function readReference(payload: unknown): CustomerReference | undefined {
  const idToken = field(payload, 'idToken');
  if (isObject(idToken)) return { idToken: { idToken: String(idToken.idToken), type: String(idToken.type) } };
  const customerIdentifier = readString(field(payload, 'customerIdentifier'));
  if (customerIdentifier !== undefined) return { customerIdentifier };
  const serialNumber = readString(field(field(payload, 'customerCertificate'), 'serialNumber'));
  return serialNumber === undefined ? undefined : { customerCertificate: { serialNumber } };
}

/** Sessions of this customer's idToken that are going on now. */
function sessionLines(ctx: StationContext, reference: CustomerReference): string[] {
  if (!('idToken' in reference)) return [];
  const token = reference.idToken;
  return ctx.sessions
    .all()
    .filter((s) => {
      const t = s.tx?.idToken ?? s.authorized;
      return t !== undefined && t.type === token.type && t.idToken.toLowerCase() === token.idToken.toLowerCase();
    })
    .map((s) => `EVSE ${s.evseId}: ${s.tx ? `transaction ${s.tx.transactionId} (${s.tx.chargingState})` : 'authorized'}`);
}

async function sendParts(ctx: StationContext, requestId: number, text: string): Promise<void> {
  const generatedAt = new Date().toISOString();
  const parts = Math.max(1, Math.ceil(text.length / PART_SIZE));
  for (let seqNo = 0; seqNo < parts; seqNo++) {
    const data = text.slice(seqNo * PART_SIZE, (seqNo + 1) * PART_SIZE);
    await ctx.call('NotifyCustomerInformation', { data, tbc: seqNo < parts - 1, seqNo, generatedAt, requestId });
  }
}

export function customerInformationHandler(ctx: StationContext) {
  return (payload: unknown) => {
    const requestId = readInteger(field(payload, 'requestId')) ?? 0;
    const report = field(payload, 'report') === true;
    const clear = field(payload, 'clear') === true;
    const reference = readReference(payload);
    if ((!report && !clear) || !reference) return { status: 'Rejected' }; // N09.FR.07, N10.FR.07
    const store = customerRecords(ctx.model);
    const lines = [...store.get(reference), ...sessionLines(ctx, reference)];
    if (clear) store.clear(reference); // N10.FR.03/06 (the local list is the CSMS's to change)
    let text: string;
    if (report) text = lines.length > 0 ? lines.join('\n') : 'No data found for this customer.'; // N09.FR.05/06, N10.FR.04
    else text = lines.length > 0 ? 'Customer data cleared.' : 'No data found for this customer; nothing to clear.';
    if (report && clear && lines.length > 0) text += '\nCustomer data cleared.';
    ctx.afterResponse(() => sendParts(ctx, requestId, text));
    return { status: 'Accepted' };
  };
}
