/**
 * The entry script. Its first import sends the first screen's API requests, before the app's
 * modules (React and the pages) are initialised and the app renders, so the server answers while
 * the browser is busy with them (early-requests.ts). The app's first render then finds the answers
 * that have arrived.
 */
import './send-early-requests.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks the #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
