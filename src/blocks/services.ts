// What every piece of behaviour may use. Built once in main.ts.
import type { Bus } from '../bus/bus';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Log } from '../log';
import type { StationRegistry } from '../ocpp/registry';

export interface Services {
  config: Readonly<Config>;
  db: Db;
  bus: Bus;
  log: Log;
  registry: StationRegistry;
  now(): Date;
}
