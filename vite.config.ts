import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { monacoStubFor } from './web/monaco/stubs.ts';

/**
 * The Content-Security-Policy of the built site: nothing from any remote origin.
 * Styles need 'unsafe-inline' (MUI/emotion and Monaco inject <style> elements);
 * scripts, workers, fonts and images come only from the site itself. The dev
 * server gets no CSP (Vite injects inline scripts there).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'nft-designer-csp',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
    },
  };
}

/** Monaco modules the app never runs, replaced by small stand-ins in the build (web/monaco/stubs.ts). */
function monacoStubs(): Plugin {
  return {
    name: 'nft-designer-monaco-stubs',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      return monacoStubFor(id);
    },
  };
}

export default defineConfig({
  root: 'web',
  publicDir: '../public',
  base: './',
  plugins: [monacoStubs(), react(), contentSecurityPolicy()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    manifest: true,
    rolldownOptions: {
      output: {
        // Monaco in a chunk of its own, named for what it is (the bench measures it), apart from the app's nft language code
        codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: 'monaco', test: /[\\/]node_modules[\\/]monaco-editor[\\/]/ }] },
      },
    },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
