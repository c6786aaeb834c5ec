import type { Services } from '../blocks/services';
import type { Principal } from './api-keys';
import type { Loaders } from './loaders';

export interface GraphqlContext {
  services: Services;
  principal: Principal;
  loaders: Loaders;
}
