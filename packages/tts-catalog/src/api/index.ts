export * from './types';
export { COMPONENT_SERVICES, TTI_LORAWAN_V3, TTN_LORAWAN_V3 } from './tts-api.generated';
