import type { Authenticated, DeviceAuthenticated } from '../auth/auth-service.js';

/** What the API's identification middleware leaves for the routes: a person or a paired display. */
export type CallerLocals = { auth?: Authenticated; device?: DeviceAuthenticated };
