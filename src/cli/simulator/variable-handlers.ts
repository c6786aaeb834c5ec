// GetVariables and SetVariables (OCPP 2.0.1 Part 2 B05/B06).
import type { DeviceModel } from './device-model';
import {
  field,
  readArray,
  readAttributeType,
  readComponent,
  readString,
  readVariable,
} from './request-fields';
import type { StationContext } from './station-context';

function target(item: unknown) {
  const parsedType = readAttributeType(field(item, 'attributeType'));
  return {
    component: readComponent(field(item, 'component')),
    variable: readVariable(field(item, 'variable')),
    attributeType: parsedType ?? 'Actual',
    typeUnsupported: parsedType === null,
  };
}

function getOne(model: DeviceModel, item: unknown, overLimit: boolean) {
  const { component, variable, attributeType, typeUnsupported } = target(item);
  const echo = { attributeType, component, variable };
  if (overLimit) return { attributeStatus: 'Rejected', ...echo };
  if (typeUnsupported) return { attributeStatus: 'NotSupportedAttributeType', ...echo };
  const result = model.get(component, variable, attributeType);
  return {
    attributeStatus: result.status,
    ...('value' in result && { attributeValue: result.value }),
    ...echo,
  };
}

export function setOne(model: DeviceModel, item: unknown, overLimit: boolean) {
  const { component, variable, attributeType, typeUnsupported } = target(item);
  const echo = { attributeType, component, variable };
  const value = readString(field(item, 'attributeValue'));
  if (overLimit || value === undefined) return { attributeStatus: 'Rejected', ...echo };
  if (typeUnsupported) return { attributeStatus: 'NotSupportedAttributeType', ...echo };
  return { attributeStatus: model.set(component, variable, value, attributeType), ...echo };
}

/** Items past ItemsPerMessage are Rejected, as OCTT TC_B_08_CS allows. */
export function variableHandlers(ctx: StationContext) {
  return {
    GetVariables: (payload: unknown) => {
      const limit = ctx.model.itemsPerMessage.getVariables;
      const items = readArray(field(payload, 'getVariableData'));
      return { getVariableResult: items.map((item, i) => getOne(ctx.model, item, i >= limit)) };
    },
    SetVariables: (payload: unknown) => {
      const limit = ctx.model.itemsPerMessage.setVariables;
      const items = readArray(field(payload, 'setVariableData'));
      return { setVariableResult: items.map((item, i) => setOne(ctx.model, item, i >= limit)) };
    },
  };
}
