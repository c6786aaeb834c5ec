// Pure rules behind A01 and A05: generated passwords (A01.FR.06/07, A00.FR.205), the profile
// decision during an upgrade (A05.FR.07), slot choice and the CSMS URL sent in SetNetworkProfile.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { csmsOcppUrl, parsePriority, pickFreeSlot, priorityWith } from '../../src/blocks/security/network-slots';
import { completesProfileUpgrade, profileAllowed } from '../../src/blocks/security/profile-policy';
import { generateStationPassword, passwordLength } from '../../src/blocks/security/station-password';
import { loadConfig, ConfigError } from '../../src/config';

describe('A01 generated passwords', () => {
  test('A00.FR.205 A01.FR.07: random, 16 to 64 characters of the conservative passwordString set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 64 }), (length) => {
        const password = generateStationPassword(length);
        assert.equal(password.length, length);
        assert.match(password, /^[A-Za-z0-9*\-_=+|@.]+$/);
      }),
    );
    const many = new Set(Array.from({ length: 200 }, () => generateStationPassword(16)));
    assert.equal(many.size, 200, 'A01.FR.06: every rotation yields a different password');
    assert.throws(() => generateStationPassword(15), RangeError);
    assert.throws(() => generateStationPassword(65), RangeError);
  });

  test('A00.FR.205: the configured length is capped by the maxLimit the station reported', () => {
    assert.equal(passwordLength(40, undefined), 40);
    assert.equal(passwordLength(64, 40), 40);
    assert.equal(passwordLength(32, 64), 32);
    assert.equal(passwordLength(40, 8), 40, 'a maxLimit below the minimum of 16 is ignored');
  });

  test('STATION_PASSWORD_LENGTH: default 40, only 16 to 64', () => {
    assert.equal(loadConfig({}).stationPasswordLength, 40);
    assert.equal(loadConfig({ STATION_PASSWORD_LENGTH: '64' }).stationPasswordLength, 64);
    assert.throws(() => loadConfig({ STATION_PASSWORD_LENGTH: '15' }), ConfigError);
    assert.throws(() => loadConfig({ STATION_PASSWORD_LENGTH: '65' }), ConfigError);
  });
});

describe('A05 profile policy and network slots', () => {
  test('A00.FR.002 A05.FR.07: before the upgrade the old profile or the target; after it only the target', () => {
    const pending = { securityProfile: 1, pendingSecurityProfile: 2 };
    assert.deepEqual([1, 2, 3].map((p) => profileAllowed(pending, p as 1 | 2 | 3)), [true, true, false]);
    assert.equal(completesProfileUpgrade(pending, 2), true);
    assert.equal(completesProfileUpgrade(pending, 1), false);
    const upgraded = { securityProfile: 2, pendingSecurityProfile: null };
    assert.deepEqual([1, 2, 3].map((p) => profileAllowed(upgraded, p as 1 | 2 | 3)), [false, true, false]);
    assert.equal(completesProfileUpgrade(upgraded, 2), false);
  });

  test('A05: the new slot is a free one and goes first in NetworkConfigurationPriority', () => {
    assert.deepEqual(parsePriority('1, 2,x'), [1, 2]);
    assert.deepEqual(parsePriority(undefined), []);
    assert.equal(pickFreeSlot([1], undefined), 2);
    assert.equal(pickFreeSlot([2, 1], undefined), 3);
    assert.equal(pickFreeSlot([1], ['0', '1', '2']), 0, 'the valuesList the station reported wins');
    assert.equal(pickFreeSlot([0, 1, 2], ['0', '1', '2']), undefined);
    assert.equal(priorityWith(2, [1]), '2,1');
    assert.equal(priorityWith(3, [1, 2]), '3,1,2');
  });

  test('A05: ocppCsmsUrl is PUBLIC_TLS_URL as wss with the OCPP path', () => {
    assert.equal(csmsOcppUrl('https://localhost:8443'), 'wss://localhost:8443/ocpp');
    assert.equal(csmsOcppUrl('https://csms.example.com/'), 'wss://csms.example.com/ocpp');
    assert.equal(csmsOcppUrl('https://csms.example.com/ocpp'), 'wss://csms.example.com/ocpp');
    assert.equal(csmsOcppUrl(loadConfig({}).publicTlsUrl), 'wss://localhost:8443/ocpp');
  });
});
