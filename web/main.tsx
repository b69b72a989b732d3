import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import { App } from './App.tsx';
import { installTestApi } from './testApi.ts';

import { startAutosave, startSession } from './store/session.ts';

installTestApi();
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
