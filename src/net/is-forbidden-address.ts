import { isIPv4, isIPv6 } from 'node:net';

/** An address block as a prefix of the address's bytes. */
interface AddressBlock {
  bytes: number[];
  prefixBits: number;
  /** Why addresses in the block are refused, for messages. */
  reason: string;
}

function block(cidr: string, reason: string): AddressBlock {
  const [address = '', prefix = ''] = cidr.split('/');
  const bytes = isIPv4(address) ? parseIpv4(address) : parseIpv6(address);
  if (!bytes) throw new Error(`invalid block ${cidr}`);
  return { bytes, prefixBits: Number(prefix), reason };
}

const ipv4Blocks: readonly AddressBlock[] = [
  block('0.0.0.0/8', '"this network"'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'carrier-grade NAT (shared address space)'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local (cloud metadata lives here)'),
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.0.2.0/24', 'documentation'),
  block('192.88.99.0/24', '6to4 relay anycast'),
  block('192.168.0.0/16', 'private'),
  block('198.18.0.0/15', 'benchmarking'),
  block('198.51.100.0/24', 'documentation'),
  block('203.0.113.0/24', 'documentation'),
  block('224.0.0.0/4', 'multicast'),
  block('240.0.0.0/4', 'reserved (and broadcast)'),
];

const ipv6Blocks: readonly AddressBlock[] = [
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  // IPv4-compatible addresses are deprecated; nothing legitimate uses them.
  block('::/96', 'IPv4-compatible (deprecated)'),
  block('64:ff9b:1::/48', 'local-use NAT64'),
  block('100::/64', 'discard-only'),
  // Teredo hides the real IPv4 endpoint behind obfuscation; refusing the block is the safe reading.
  block('2001::/32', 'Teredo tunnelling'),
  block('2001:db8::/32', 'documentation'),
  block('fc00::/7', 'unique local (private; includes the fd00:ec2::254 metadata address)'),
  block('fe80::/10', 'link-local'),
  block('fec0::/10', 'site-local (deprecated)'),
  block('ff00::/8', 'multicast'),
];

/**
 * Whether a connection to this IP address must be refused: loopback, private, link-local, cloud metadata,
 * carrier-grade NAT, "this network", documentation, benchmarking, multicast and reserved ranges, in IPv4
 * and IPv6, including IPv4 addresses embedded in IPv6 (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`). Anything that is not an IP address is refused too, so a caller can never pass a
 * hostname by mistake and have it waved through.
 */
export function isForbiddenAddress(address: string): boolean {
  return forbiddenAddressReason(address) !== undefined;
}

/** Why an address is refused (`"loopback"`, `"private"`…), or undefined when it may be reached. */
export function forbiddenAddressReason(address: string): string | undefined {
  const bare = stripDecorations(address);
  if (isIPv4(bare)) return ipv4Reason(parseIpv4(bare));
  if (!isIPv6(bare)) return 'not an IP address';
  const bytes = parseIpv6(bare);
  if (!bytes) return 'not an IP address';
  const embedded = embeddedIpv4(bytes);
  if (embedded) {
    const reason = ipv4Reason(embedded.bytes);
    return reason ? `${reason} (IPv4 inside ${embedded.kind} IPv6)` : undefined;
  }
  return ipv6Blocks.find((candidate) => inBlock(bytes, candidate))?.reason;
}

function ipv4Reason(bytes: number[] | undefined): string | undefined {
  if (!bytes) return 'not an IP address';
  return ipv4Blocks.find((candidate) => inBlock(bytes, candidate))?.reason;
}

/** `[::1]` (URL form) and `fe80::1%eth0` (zone index) both name a plain address. */
function stripDecorations(address: string): string {
  const unbracketed = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const zoneAt = unbracketed.indexOf('%');
  return zoneAt === -1 ? unbracketed : unbracketed.slice(0, zoneAt);
}

function embeddedIpv4(bytes: number[]): { bytes: number[]; kind: string } | undefined {
  const allZero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (allZero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { bytes: bytes.slice(12), kind: 'IPv4-mapped' };
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && allZero(4, 12)) {
    return { bytes: bytes.slice(12), kind: 'NAT64' };
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { bytes: bytes.slice(2, 6), kind: '6to4' };
  return undefined;
}

function inBlock(bytes: number[], candidate: AddressBlock): boolean {
  if (bytes.length !== candidate.bytes.length) return false;
  let remainingBits = candidate.prefixBits;
  for (let index = 0; remainingBits > 0; index += 1) {
    const bits = Math.min(8, remainingBits);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((candidate.bytes[index] ?? 0) & mask)) return false;
    remainingBits -= bits;
  }
  return true;
}

function parseIpv4(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return undefined;
  }
  return parts;
}

/** 16 bytes of an IPv6 address, including the dotted-quad tail form (`::ffff:127.0.0.1`). */
function parseIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const ipv4 = parseIpv4(text.slice(lastColon + 1));
    if (!ipv4) return undefined;
    tail.push(...ipv4);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length > 0) bytes.splice(12, 4, ...tail);
  return bytes;
}
