/**
 * Sends the first screen's API requests as a module's side effect: main.tsx imports it before the
 * app, so it runs before React and the pages are initialised (modules run in import order).
 */
import { sendEarlyRequests } from './early-requests.ts';
import { parseRoute } from './router.ts';

sendEarlyRequests(parseRoute(location.hash));
