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

interface Range {
  base: number
  bits: number
  kind: 'local' | 'never'
  why: string
}

const v4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0

const IPV4_RANGES: Range[] = [
  { base: v4(0, 0, 0, 0), bits: 8, kind: 'never', why: 'an unspecified address (0.0.0.0/8)' },
  { base: v4(10, 0, 0, 0), bits: 8, kind: 'local', why: 'a private address (10.0.0.0/8)' },
  { base: v4(100, 64, 0, 0), bits: 10, kind: 'local', why: 'a carrier-grade NAT address (100.64.0.0/10)' },
  { base: v4(127, 0, 0, 0), bits: 8, kind: 'local', why: 'a loopback address (127.0.0.0/8)' },
  { base: v4(169, 254, 0, 0), bits: 16, kind: 'never', why: 'a link-local address (169.254.0.0/16, where cloud metadata lives)' },
  { base: v4(172, 16, 0, 0), bits: 12, kind: 'local', why: 'a private address (172.16.0.0/12)' },
  { base: v4(192, 0, 0, 0), bits: 24, kind: 'never', why: 'an IETF protocol address (192.0.0.0/24)' },
  { base: v4(192, 0, 2, 0), bits: 24, kind: 'never', why: 'a documentation address (192.0.2.0/24)' },
  { base: v4(192, 88, 99, 0), bits: 24, kind: 'never', why: 'a 6to4 relay address (192.88.99.0/24)' },
  { base: v4(192, 168, 0, 0), bits: 16, kind: 'local', why: 'a private address (192.168.0.0/16)' },
  { base: v4(198, 18, 0, 0), bits: 15, kind: 'never', why: 'a benchmarking address (198.18.0.0/15)' },
  { base: v4(198, 51, 100, 0), bits: 24, kind: 'never', why: 'a documentation address (198.51.100.0/24)' },
  { base: v4(203, 0, 113, 0), bits: 24, kind: 'never', why: 'a documentation address (203.0.113.0/24)' },
  { base: v4(224, 0, 0, 0), bits: 4, kind: 'never', why: 'a multicast address (224.0.0.0/4)' },
  { base: v4(240, 0, 0, 0), bits: 4, kind: 'never', why: 'a reserved or broadcast address (240.0.0.0/4)' },
]

export function classifyHost(hostname: string): HostClass {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return { kind: 'local', loopback: true, why: 'localhost' }
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (quad) return classifyV4(v4(Number(quad[1]), Number(quad[2]), Number(quad[3]), Number(quad[4])))
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseV6(host.slice(1, -1))
    return groups ? classifyV6(groups) : { kind: 'never', loopback: false, why: 'an IPv6 address flowkey cannot read' }
  }
  return { kind: 'public' }
}

function classifyV4(address: number): HostClass {
  for (const range of IPV4_RANGES) {
    const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0
    if ((address & mask) >>> 0 === range.base) return { kind: range.kind, loopback: range.base === v4(127, 0, 0, 0), why: range.why }
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
  if (zeroUpTo(8)) return { kind: 'never', loopback: false, why: 'the unspecified address (::)' }
  if (zeroUpTo(7) && g[7] === 1) return { kind: 'local', loopback: true, why: 'the loopback address (::1)' }
  if (zeroUpTo(5) && g[5] === 0xffff) return embedded(g[6], g[7], 'IPv4-mapped (::ffff:0:0/96)')
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6], g[7], 'IPv4-translated (::ffff:0:0:0/96)')
  if (zeroUpTo(6)) return embedded(g[6], g[7], 'IPv4-compatible (::/96)')
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6], g[7], 'NAT64 (64:ff9b::/96)')
  if (g[0] === 0x2002) return embedded(g[1], g[2], '6to4 (2002::/16)')
  if ((g[0] & 0xfe00) === 0xfc00) return { kind: 'local', loopback: false, why: 'a unique-local address (fc00::/7)' }
  if ((g[0] & 0xffc0) === 0xfe80) return { kind: 'never', loopback: false, why: 'a link-local address (fe80::/10)' }
  if ((g[0] & 0xff00) === 0xff00) return { kind: 'never', loopback: false, why: 'a multicast address (ff00::/8)' }
  if (g[0] === 0x2001 && g[1] === 0x0db8) return { kind: 'never', loopback: false, why: 'a documentation address (2001:db8::/32)' }
  if (g[0] === 0x2001 && g[1] < 0x0200) return { kind: 'never', loopback: false, why: 'an IETF protocol address such as Teredo (2001::/23)' }
  if ((g[0] & 0xe000) !== 0x2000) return { kind: 'never', loopback: false, why: 'an address outside IPv6 global unicast (2000::/3)' }
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
      const dotted = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(piece)
      if (dotted) {
        out.push((Number(dotted[1]) << 8) | Number(dotted[2]), (Number(dotted[3]) << 8) | Number(dotted[4]))
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16))
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
