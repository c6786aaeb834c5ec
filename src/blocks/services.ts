// What every piece of behaviour may use. Built once in main.ts.
import type { Bus } from '../bus/bus';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Log } from '../log';
import type { StationRegistry } from '../ocpp/registry';
import type { CertificateAuthority } from './security/certificate-authority';

export interface Services {
  config: Readonly<Config>;
  db: Db;
  bus: Bus;
  log: Log;
  registry: StationRegistry;
  /** The built-in CA (A02/A03): signs station CSRs; its certificate is the profile-3 trust anchor. */
  ca: CertificateAuthority;
  now(): Date;
}
