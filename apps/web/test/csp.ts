/** The Content-Security-Policy of a page's `<meta http-equiv>`, directive by directive (sources in order). */
export function contentSecurityPolicy(html: string): Map<string, string[]> {
  const content = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
  if (content === undefined) throw new Error("the page has no Content-Security-Policy");
  const directives = content.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]);
  return new Map(directives.map(([name, ...sources]) => [name!, sources]));
}

/** The page's policy, as index.html sets it: every other origin is refused by these directives. */
export const EXPECTED_POLICY = {
  "img-src": ["'self'", "data:", "blob:"],
  "media-src": ["'none'"],
  "object-src": ["'none'"],
  // WalletConnect's Verify API: the connector frames `${VERIFY_SERVER_V3}/attestation` to prove the app's origin to the wallet.
  "frame-src": ["https://verify.walletconnect.org"],
};
