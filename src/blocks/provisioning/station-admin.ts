// A00/B01 provisioning: a station exists only once created here (GraphQL or CLI).
import { isValidIdentity } from '../../ocpp/transport/identity';
import {
  deleteStationById, findStation, insertStation, updateStationFields, type NewStation, type StationRow,
} from '../../db/queries/stations';
import { hashPassword, passwordProblem } from '../security/password-hash';
import type { Services } from '../services';

export class ProvisioningError extends Error {
  constructor(readonly kind: 'invalid' | 'conflict' | 'not-found', message: string) {
    super(message);
  }
}

export interface StationSettings {
  password?: string | null | undefined;
  securityProfile?: number | null | undefined;
  bootPolicy?: string | null | undefined;
  serialNumber?: string | null | undefined;
  itemsPerMessageGetVariables?: number | null | undefined;
  itemsPerMessageSetVariables?: number | null | undefined;
  bytesPerMessageGetVariables?: number | null | undefined;
  bytesPerMessageSetVariables?: number | null | undefined;
}

const BOOT_POLICIES = new Set(['Accepted', 'Pending', 'Rejected']);
const LIMIT_FIELDS = [
  'itemsPerMessageGetVariables', 'itemsPerMessageSetVariables', 'bytesPerMessageGetVariables', 'bytesPerMessageSetVariables',
] as const;

async function toColumns(settings: StationSettings): Promise<Partial<NewStation>> {
  const columns: Partial<NewStation> = {};
  if (settings.password != null) {
    const problem = passwordProblem(settings.password);
    if (problem) throw new ProvisioningError('invalid', problem);
    columns.passwordHash = await hashPassword(settings.password);
    columns.pendingPasswordHashes = null; // A01: a password set by the operator ends any open rotation
  }
  if (settings.securityProfile != null) {
    if (![1, 2, 3].includes(settings.securityProfile)) throw new ProvisioningError('invalid', 'securityProfile must be 1, 2 or 3');
    columns.securityProfile = settings.securityProfile;
    columns.pendingSecurityProfile = null; // A05: an explicit profile ends any pending upgrade target
  }
  if (settings.bootPolicy != null) {
    if (!BOOT_POLICIES.has(settings.bootPolicy)) throw new ProvisioningError('invalid', 'bootPolicy must be Accepted, Pending or Rejected');
    columns.bootPolicy = settings.bootPolicy;
  }
  if (settings.serialNumber !== undefined) {
    if (settings.serialNumber !== null && settings.serialNumber.length > 25) {
      throw new ProvisioningError('invalid', 'serialNumber is at most 25 characters (OCPP string[25])');
    }
    columns.serialNumber = settings.serialNumber;
  }
  for (const field of LIMIT_FIELDS) {
    const value = settings[field];
    if (value === undefined) continue;
    if (value !== null && (!Number.isInteger(value) || value < 1)) throw new ProvisioningError('invalid', `${field} must be a positive integer`);
    columns[field] = value;
  }
  return columns;
}

export async function provisionStation(services: Pick<Services, 'db'>, id: string, settings: StationSettings): Promise<StationRow> {
  if (!isValidIdentity(id)) {
    throw new ProvisioningError('invalid', "id must be 1 to 48 characters of a-z A-Z 0-9 * - _ = + | @ . (no ':')");
  }
  if (settings.password == null) throw new ProvisioningError('invalid', 'password is required');
  if (await findStation(services.db, id)) throw new ProvisioningError('conflict', `station ${id} already exists`);
  return insertStation(services.db, { id, ...(await toColumns(settings)) });
}

export async function changeStation(services: Pick<Services, 'db'>, id: string, settings: StationSettings): Promise<StationRow> {
  const station = await findStation(services.db, id);
  if (!station) throw new ProvisioningError('not-found', `station ${id} not found`);
  return (await updateStationFields(services.db, station.id, await toColumns(settings)))!;
}

export async function removeStation(services: Pick<Services, 'db' | 'registry'>, id: string): Promise<string | undefined> {
  const station = await findStation(services.db, id);
  if (!station) return undefined;
  await deleteStationById(services.db, station.id);
  services.registry.get(station.id)?.close(1000, 'Station deleted');
  services.registry.forget(station.id);
  return station.id;
}
