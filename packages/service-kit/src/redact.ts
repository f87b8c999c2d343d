// Secrets that may reach a log line or an error message: private keys and API keys by their known
// values, and credentials inside URLs (user:password@, token-like query parameters).

const REDACTED = "[redacted]";

/** Query parameters that carry credentials in practice (API keys, tokens, signatures). */
const SECRET_QUERY = /([?&](?:api[-_]?key|apikey|key|token|access[-_]?token|auth|secret|password|sig|signature)=)[^&#\s"']+/gi;
/** `scheme://user:password@` or `scheme://token@` in free text. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']+@/gi;

/** A URL's origin only (`https://host:port`): path and query often carry a token, userinfo a password. */
export function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}

/** `text` with the URL, its credentials, path and query replaced by the URL's origin. */
export function redactText(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  try {
    const parsed = new URL(url);
    for (const secret of [parsed.password, parsed.username, decodeURIComponent(parsed.password), parsed.pathname.length > 1 ? parsed.pathname : "", parsed.search]) {
      if (secret.length >= 3) out = out.split(secret).join(REDACTED);
    }
  } catch {
    // an unparsable URL: nothing more to find
  }
  return out;
}

/**
 * `text` without URL credentials (userinfo, token-like query parameters) and without any of the
 * given secret values. Values shorter than 4 characters are not treated as secrets (they would
 * blank out ordinary words).
 */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_QUERY, `$1${REDACTED}`);
}

/** Variable names whose values are secrets: never shown in a message or a log. */
export function isSecretName(name: string): boolean {
  return /(PRIVATE_KEY|API_KEY|SECRET|TOKEN|PASSWORD|MNEMONIC)/i.test(name);
}

/** The secret values in an environment: every secret-named variable, and passwords inside URLs. */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === "") continue;
    if (isSecretName(name)) found.push(value);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      try {
        const url = new URL(value);
        if (url.password) found.push(url.password, decodeURIComponent(url.password));
      } catch {
        // not a URL after all
      }
    }
  }
  return found;
}
