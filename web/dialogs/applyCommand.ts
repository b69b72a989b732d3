/**
 * The "copy apply command" for the companion agent: the script travels in a
 * quoted here-document (no expansion), under a delimiter that no line of the
 * script equals — so no script content can end the here-document early and run
 * as shell.
 */
export function applyCommand(script: string, confirmSeconds = 60): string {
  const lines = new Set(script.split('\n').map((l) => l.trim()));
  let delim = 'NFT_DESIGNER_EOF';
  for (let i = 1; lines.has(delim); i++) delim = `NFT_DESIGNER_EOF_${i}`;
  const body = script.endsWith('\n') ? script : `${script}\n`;
  return `nft-agent apply --confirm ${confirmSeconds} - <<'${delim}'\n${body}${delim}\n`;
}
