/** Parse errors of text typed in the preview (shown as markers and in the panel). */
import { create } from 'zustand';
import type { Diagnostic } from '../../src/model/diagnostic.ts';

export const useTextErrors = create<{ diagnostics: Diagnostic[] }>()(() => ({ diagnostics: [] }));
