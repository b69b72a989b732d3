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
 * What the editor waits for on a cold load is fetched now, beside first
 * paint: the preview's editor (Monaco, ~700 KiB gzip), the engine that writes
 * the script it shows, and the preview panel (each was requested only once the
 * one before had run: three round trips in a row). None of it is initial
 * JavaScript (dynamic imports: first paint does not wait for them); the app
 * imports them where it uses them and finds them loaded. Built app only: tests
 * and the dev server load them when they are used. A failure here is for those
 * imports to report.
 */
if (import.meta.env.PROD) {
  for (const load of [() => import('./preview/Preview.tsx'), () => import('./state/engine.ts'), () => import('./layout/PreviewPanel.tsx')]) void load().catch(() => undefined);
}
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
