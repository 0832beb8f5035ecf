/**
 * The entry script: small on purpose. It sends the first screen's API requests, then loads the app
 * (React and the pages, most of the code), so the server answers while the browser fetches and
 * compiles it rather than after (early-requests.ts).
 */
import { sendEarlyRequests } from './early-requests.ts';
import { parseRoute } from './router.ts';
import './styles.css';

sendEarlyRequests(parseRoute(location.hash));
void import('./app-root.tsx').then(({ mountApp }) => mountApp());
