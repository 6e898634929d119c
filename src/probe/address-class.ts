/**
 * @module Which hosts a probe may name: IP literals are classed by the IANA special-purpose address registries (RFC 6890), pure.
 * Hostnames arrive as the WHATWG URL parser leaves them: `2130706433`, `0x7f.1` and `127.1` are already `127.0.0.1`,
 * and `[::ffff:127.0.0.1]` is already `[::ffff:7f00:1]`, so every spelling of an address meets the same table.
 */

/**
 * `public`: global unicast. `local`: loopback, private, unique-local and shared (carrier-grade NAT) addresses and
 * `localhost`, allowed for local use only. `never`: unspecified, link-local (the cloud metadata address), multicast,
 * documentation, benchmarking and other reserved ranges, which no Flow endpoint can live at.
 */
export type HostClass = { kind: 'public' } | { kind: 'local' | 'never'; loopback: boolean; why: string }

/** `<cidr> <L|N> <what>`: L is local (allowed for local use), N is never; the why of a refusal is read from the row. */
const IPV4_RANGES = [
  '0.0.0.0/8 N unspecified',
  '10.0.0.0/8 L private',
  '100.64.0.0/10 L carrier-grade NAT',
  '127.0.0.0/8 L loopback',
  '169.254.0.0/16 N link-local (cloud metadata)',
  '172.16.0.0/12 L private',
  '192.0.0.0/24 N IETF protocol',
  '192.0.2.0/24 N documentation',
  '192.88.99.0/24 N 6to4 relay',
  '192.168.0.0/16 L private',
  '198.18.0.0/15 N benchmarking',
  '198.51.100.0/24 N documentation',
  '203.0.113.0/24 N documentation',
  '224.0.0.0/4 N multicast',
  '240.0.0.0/4 N reserved or broadcast',
].map((row) => {
  const [cidr, kind, ...what] = row.split(' ')
  const [base, bits] = cidr.split('/')
  return {
    base: dotted(base) ?? 0,
    mask: (0xffffffff << (32 - Number(bits))) >>> 0,
    kind: kind === 'L' ? ('local' as const) : ('never' as const),
    why: `a ${what.join(' ')} address (${cidr})`,
  }
})

/** `a.b.c.d` as a 32-bit number, or null. */
function dotted(text: string): number | null {
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  return quad ? ((Number(quad[1]) << 24) | (Number(quad[2]) << 16) | (Number(quad[3]) << 8) | Number(quad[4])) >>> 0 : null
}

const never = (why: string): HostClass => ({ kind: 'never', loopback: false, why })

export function classifyHost(hostname: string): HostClass {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return { kind: 'local', loopback: true, why: 'localhost' }
  const address = dotted(host)
  if (address !== null) return classifyV4(address)
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseV6(host.slice(1, -1))
    return groups ? classifyV6(groups) : never('an IPv6 address flowkey cannot read')
  }
  return { kind: 'public' }
}

function classifyV4(address: number): HostClass {
  for (const range of IPV4_RANGES) {
    if ((address & range.mask) >>> 0 === range.base) return { kind: range.kind, loopback: address >>> 24 === 127, why: range.why }
  }
  return { kind: 'public' }
}

/** An IPv4 address carried inside an IPv6 one is classed as that IPv4 address, and says so. */
function embedded(high: number, low: number, form: string): HostClass {
  const inner = classifyV4(((high << 16) | low) >>> 0)
  return inner.kind === 'public' ? inner : { ...inner, why: `${inner.why} in its ${form} form` }
}

function classifyV6(g: number[]): HostClass {
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0)
  if (zeroUpTo(8)) return never('the unspecified address (::)')
  if (zeroUpTo(7) && g[7] === 1) return { kind: 'local', loopback: true, why: 'the loopback address (::1)' }
  if (zeroUpTo(5) && g[5] === 0xffff) return embedded(g[6], g[7], 'IPv4-mapped (::ffff:0:0/96)')
  if (zeroUpTo(6)) return embedded(g[6], g[7], 'IPv4-compatible (::/96)')
  if (g[0] === 0x2002) return embedded(g[1], g[2], '6to4 (2002::/16)')
  if ((g[0] & 0xfe00) === 0xfc00) return { kind: 'local', loopback: false, why: 'a unique-local address (fc00::/7)' }
  if (g[0] === 0x2001 && g[1] === 0x0db8) return never('a documentation address (2001:db8::/32)')
  if (g[0] === 0x2001 && g[1] < 0x0200) return never('an IETF protocol address such as Teredo (2001::/23)')
  // Link-local fe80::/10, multicast ff00::/8, NAT64 64:ff9b::/96 and every other range outside 2000::/3.
  if ((g[0] & 0xe000) !== 0x2000) return never('an address outside IPv6 global unicast (2000::/3)')
  return { kind: 'public' }
}

/** Eight 16-bit groups from `a:b::c` (a dotted IPv4 tail is read too), or null. */
function parseV6(text: string): number[] | null {
  const halves = text.split('::')
  if (halves.length > 2) return null
  const part = (s: string): number[] | null => {
    if (s === '') return []
    const out: number[] = []
    for (const piece of s.split(':')) {
      const tail = dotted(piece)
      if (tail !== null) out.push(tail >>> 16, tail & 0xffff)
      else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16))
      else return null
    }
    return out
  }
  const head = part(halves[0])
  const tail = halves.length === 2 ? part(halves[1]) : []
  if (!head || !tail) return null
  if (halves.length === 1) return head.length === 8 ? head : null
  const missing = 8 - head.length - tail.length
  return missing < 1 ? null : [...head, ...new Array<number>(missing).fill(0), ...tail]
}
