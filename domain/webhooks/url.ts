/**
 * Where a webhook may be sent. Subscribers' endpoints are `https`; plain
 * `http` and loopback, private or link-local addresses only where
 * configuration allows them (development and tests), so that an admin's typo
 * or a hostile URL cannot make Golden Thread call into its own network.
 */

/** Whether an IP address (v4 or v6, as text) is loopback, private, link-local or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  // IPv4 inside IPv6 in hex (`::ffff:7f00:1`, as the URL parser writes `[::ffff:127.0.0.1]`,
  // or NAT64's `64:ff9b::7f00:1`): judged as the IPv4 address it carries.
  const embedded = /^(?:::(?:ffff:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (embedded) {
    const [hi, lo] = [parseInt(embedded[1]!, 16), parseInt(embedded[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const v4 = /^(?:::ffff:|64:ff9b::)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [b0, b1] = [Number(v4[1]), Number(v4[2])];
    return (
      b0 === 0 ||
      b0 === 10 ||
      b0 === 127 ||
      (b0 === 100 && b1 >= 64 && b1 <= 127) ||
      (b0 === 169 && b1 === 254) ||
      (b0 === 172 && b1 >= 16 && b1 <= 31) ||
      (b0 === 192 && b1 === 168) ||
      b0 >= 224
    );
  }
  if (!a.includes(':')) return false;
  return (
    a === '::' ||
    a === '::1' ||
    /^f[cd][0-9a-f]{2}:/.test(a) ||
    /^fe[89ab][0-9a-f]:/.test(a) ||
    a.startsWith('ff')
  );
}

/**
 * Why a URL cannot be a webhook endpoint, or null when it can. Host names are
 * checked again, as addresses, when each delivery connects.
 */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://example.org/hooks/golden-thread';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    return allowPrivate ? 'must start with https:// or http://' : 'must start with https://';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a #fragment';
  const host = url.hostname.toLowerCase();
  if (
    !allowPrivate &&
    (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost'))
  )
    return 'must not be a loopback, private or link-local address';
  return null;
}
