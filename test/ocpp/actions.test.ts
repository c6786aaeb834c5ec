import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSMS_INITIATED, STATION_INITIATED } from '../../src/ocpp/actions';
import { OCPP_ACTIONS } from '../../src/ocpp/generated/actions';

test('every OCPP 2.0.1 action has a direction; only DataTransfer goes both ways', () => {
  for (const action of OCPP_ACTIONS) {
    assert.ok(STATION_INITIATED.has(action) || CSMS_INITIATED.has(action), `${action} has no direction`);
  }
  const both = OCPP_ACTIONS.filter((a) => STATION_INITIATED.has(a) && CSMS_INITIATED.has(a));
  assert.deepEqual(both, ['DataTransfer']);
  assert.equal(STATION_INITIATED.size + CSMS_INITIATED.size, OCPP_ACTIONS.length + 1);
});
