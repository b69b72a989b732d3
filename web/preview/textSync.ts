/**
 * When the preview may replace the editor's text with the app's text.
 *
 * The app re-emits the script after every change and bumps a version
 * (`externalVersion`) each time — for changes from the forms, undo or an import,
 * and also for the editor's own edits once the app has taken them: its answer
 * is the canonical form of what the user typed (nft's own layout: one set
 * element list per line, no blank lines or comments of the user's).
 *
 * - Nothing typed in the editor: the app's text shows at once.
 * - The user typed and the app took it (it parses): while the editor has focus
 *   the canonical form waits — replacing lines under the cursor while someone
 *   types moves the text under their fingers. It replaces the user's text when
 *   the editor loses focus (or at once, if it arrives after that). Until then
 *   the two texts differ, and the preview maps the app's line numbers onto the
 *   editor's (lineMapping.ts) rather than mark the wrong lines.
 * - The user typed text the app refused (it does not parse): the editor keeps
 *   it, focused or not, and every newer app text is held back — replacing it
 *   would throw the typing away. Once the editor has lost focus (or the design
 *   changed underneath while the text was held) the preview shows a banner
 *   saying so, with the two ways out: keep editing, or discard the edit
 *   (explicitly; `discard`). Nothing the user typed disappears without that.
 *
 * Pure state, no Monaco: the component reports events and does what it is told.
 * The app answers each text the editor sends before its next render (the
 * store's update is synchronous), so at every `update` the verdict on the last
 * text sent is known: refused (`refused`) or taken (a new version).
 */
export type SyncAction = 'apply' | 'none';

/**
 * 'unparsed': the editor holds text that does not parse; 'unparsed-held': and
 * the design has changed since (forms, undo, import), which the editor cannot
 * show without dropping that text.
 */
export type SyncBanner = 'none' | 'unparsed' | 'unparsed-held';

export class TextSyncPolicy {
  private focused = false;
  /** the editor holds text the user typed, which may differ from the app's */
  private userText = false;
  /** the app refused the text the editor sent last (while userText) */
  private refused = false;
  /** the app's text changed while refused and waits */
  private heldWhileRefused = false;
  /** the app is answering a request made from inside the editor (undo keys): show its answer at once */
  private expecting = false;
  private version: number | undefined;

  /**
   * `restored`: the editor starts with text the user typed earlier that the
   * app refused (the preview was mounted again); the design may have moved on.
   */
  constructor(restored = false) {
    if (restored) {
      this.userText = true;
      this.refused = true;
      this.heldWhileRefused = true;
    }
  }

  /** The editor holds text the app does not have and could not take (it does not parse). */
  get holdsUnparsedText(): boolean {
    return this.userText && this.refused;
  }

  /** The editor's text is the app's (nothing typed since the app's text was last applied). */
  get inSync(): boolean {
    return !this.userText;
  }

  get banner(): SyncBanner {
    if (!this.holdsUnparsedText || (this.focused && !this.heldWhileRefused)) return 'none';
    return this.heldWhileRefused ? 'unparsed-held' : 'unparsed';
  }

  /** The user changed the text (not an edit the preview applied itself). */
  userEdit(): void {
    this.userText = true;
  }

  focus(): void {
    this.focused = true;
  }

  /**
   * A render with the app's current version and whether it refused the text the
   * editor sent last. 'apply': replace the editor's text with the app's now.
   */
  update(version: number, refused: boolean): SyncAction {
    const changed = version !== this.version;
    this.version = version;
    const expecting = this.expecting;
    this.expecting = false;
    if (!this.userText) return changed ? this.applied() : 'none';
    if (refused) {
      // a refused text does not change the design: a new version came from elsewhere
      if (changed) this.heldWhileRefused = true;
      this.refused = true;
      return 'none';
    }
    // the app took the user's text: its canonical form waits while they type
    this.refused = false;
    this.heldWhileRefused = false;
    return changed && (!this.focused || expecting) ? this.applied() : 'none';
  }

  /**
   * The editor lost focus. `flushedPendingEdit`: an edit that had not been sent
   * yet was just sent to the app; its answer comes with the next `update`.
   * Otherwise the app's text is the canonical form of the user's (taken) text:
   * it replaces the editor's now — unless the app refused it.
   */
  blur(flushedPendingEdit: boolean): SyncAction {
    this.focused = false;
    if (flushedPendingEdit || !this.userText || this.refused) return 'none';
    return this.applied();
  }

  /**
   * The app is about to change the text on the user's behalf from inside the
   * editor (undo/redo keys routed to the app): its answer shows at once — unless
   * the text just sent turns out not to parse, which then stays.
   */
  expectExternal(): void {
    this.expecting = true;
  }

  /** The user chose to drop their unparsed text: show the app's ('apply'). */
  discard(): SyncAction {
    return this.applied();
  }

  /** The user undid their own typing back to the app's text (nothing left to send or keep). */
  backInSync(): void {
    this.userText = false;
    this.refused = false;
    this.heldWhileRefused = false;
  }

  private applied(): SyncAction {
    this.backInSync();
    return 'apply';
  }
}
