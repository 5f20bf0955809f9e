/** Offline manifest checks (scripts/check-manifest.js). Returns the problems found; empty when it passes. */
export function checkManifest(xml: string, options?: { production?: boolean; assetsDir?: string }): string[];
export const ORDER: string[];
