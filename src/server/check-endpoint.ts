/** The endpoint checker lives in app/; the server only takes it as a dependency. */
export { createEndpointChecker, type EndpointToCheck } from '../app/check-endpoint.ts';
