package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how many X-Forwarded-For entries clientAddr
// reads from the right; a real proxy chain is a handful long.
const maxForwardedHops = 16

// ParseTrustedProxies reads a comma- or space-separated list of CIDR
// prefixes or single addresses ("10.0.0.0/8, 192.0.2.7, fd00::/8"), as
// VOXCLONE_TRUSTED_PROXIES holds it. An empty list trusts no proxy.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: not a CIDR prefix such as 10.0.0.0/8", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("trusted proxy %q: not an IP address or CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// clientAddr is the address rate limits count a request against: the
// connection's peer, unless the peer is a trusted proxy. Then it is the
// right-most X-Forwarded-For entry that is not itself a trusted proxy, as
// every entry left of it could have been written by the client. The result
// is an IPv4 address or an IPv6 /64 prefix (one subscriber usually holds a
// whole /64), and "" when RemoteAddr is not an IP address (e.g. a Unix
// socket), which leaves only the per-email limits.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return ""
	}
	if isTrusted(peer, trusted) {
		peer = forwardedClient(r.Header.Values("X-Forwarded-For"), peer, trusted)
	}
	return normalizeClient(peer)
}

// forwardedClient walks the X-Forwarded-For entries from the right,
// starting at the trusted peer, and stops at the first untrusted address.
// A malformed entry stops the walk at the last good hop: past it, nothing
// is known.
func forwardedClient(headers []string, peer netip.Addr, trusted []netip.Prefix) netip.Addr {
	hops := 0
	for i := len(headers) - 1; i >= 0; i-- {
		entries := strings.Split(headers[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			if hops++; hops > maxForwardedHops {
				return peer
			}
			a, ok := parseHostAddr(strings.TrimSpace(entries[j]))
			if !ok {
				return peer
			}
			peer = a
			if !isTrusted(a, trusted) {
				return a
			}
		}
	}
	return peer
}

// parseHostAddr reads "ip", "ip:port" or "[ipv6]:port".
func parseHostAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.WithZone("")
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// normalizeClient writes an IPv4 address as is and an IPv6 address as its
// /64 prefix, so the many addresses of one IPv6 subscriber share a budget.
func normalizeClient(a netip.Addr) string {
	a = a.WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
