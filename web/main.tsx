import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import { App } from './App.tsx';
import { installTestApi } from './testApi.ts';

import { startAutosave, startSession } from './store/session.ts';

installTestApi();
/*
 * The preview's editor (Monaco, ~700 KiB gzip) is fetched now, beside first
 * paint, rather than once the engine has loaded and the preview panel asks for
 * it: on a cold load the editor shows ~0.25 s sooner (npm run bench:ui). It is
 * not initial JavaScript (a dynamic import: first paint does not wait for it).
 * Built app only: tests and the dev server load it when the panel does. A
 * failure here is the panel's own import's to report.
 */
if (import.meta.env.PROD) void import('./preview/Preview.tsx').catch(() => undefined);
// the saved design (or a share link) opens once IndexedDB has answered; until then the workspace waits and nothing is saved
void startSession();
startAutosave();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
