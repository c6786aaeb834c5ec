// GraphQL documents shared by the API tests: one minimal valid call of every command mutation.
export const ERROR = 'error { code message ocppErrorCode }';

const COMPONENT_VARIABLE = 'component: { name: "OCPPCommCtrlr" }, variable: { name: "HeartbeatInterval" }';

/** Every CSMS-initiated command with a minimal valid input, selecting its status (or results) and error. */
export function everyCommand(stationId: string): Record<string, string> {
  const on = `stationId: ${JSON.stringify(stationId)}`;
  return {
    getVariables: `mutation { getVariables(${on}, input: { getVariableData: [{ ${COMPONENT_VARIABLE} }] }) { getVariableResult { attributeStatus } ${ERROR} } }`,
    setVariables: `mutation { setVariables(${on}, input: { setVariableData: [{ ${COMPONENT_VARIABLE}, attributeValue: "120" }] }) { setVariableResult { attributeStatus } ${ERROR} } }`,
    getBaseReport: `mutation { getBaseReport(${on}, input: { reportBase: SummaryInventory }) { status report { status } ${ERROR} } }`,
    getReport: `mutation { getReport(${on}, input: { componentCriteria: [Available] }) { status report { status } ${ERROR} } }`,
    reset: `mutation { reset(${on}, input: { type: OnIdle }) { status ${ERROR} } }`,
    triggerMessage: `mutation { triggerMessage(${on}, input: { requestedMessage: Heartbeat }) { status ${ERROR} } }`,
    changeAvailability: `mutation { changeAvailability(${on}, input: { operationalStatus: Operative }) { status ${ERROR} } }`,
    setNetworkProfile: `mutation { setNetworkProfile(${on}, input: { configurationSlot: 2, connectionData: ${NETWORK_PROFILE} }) { status ${ERROR} } }`,
    clearCache: `mutation { clearCache(${on}) { status ${ERROR} } }`,
    dataTransfer: `mutation { dataTransfer(${on}, input: { vendorId: "Acme", messageId: "Hello", data: { a: 1 } }) { status data ${ERROR} } }`,
    sendOcppCall: `mutation { sendOcppCall(${on}, action: "ClearCache", payload: {}) { response ${ERROR} } }`,
  };
}

export const NETWORK_PROFILE = `{ ocppVersion: OCPP20, ocppTransport: JSON, ocppCsmsUrl: "wss://csms.example.com/ocpp",
  messageTimeout: 30, securityProfile: 2, ocppInterface: Wired0 }`;

export const CONNECTION_EVENTS = 'subscription ($id: ID) { stationConnectionChanged(stationId: $id) { stationId kind registrationStatus at } }';
export const CONNECTOR_EVENTS = 'subscription ($id: ID) { connectorStatusChanged(stationId: $id) { stationId evseId connectorId status timestamp } }';
export const STATION_EVENTS = `subscription ($id: ID) { stationEvents(stationId: $id) { stationId eventId timestamp trigger actualValue techCode
  cleared eventNotificationType component { name evse { id connectorId } } variable { name } } }`;
