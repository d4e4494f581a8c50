package httpapi

// RouteInfo is one entry of the route table as the external tests see it.
type RouteInfo struct {
	Pattern string
	Public  bool
}

// Routes returns the route table, so that tests outside the package can
// walk every route (the cross-user isolation test does).
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range (&handler{}).routes() {
		out = append(out, RouteInfo{Pattern: rt.Pattern, Public: rt.Public})
	}
	return out
}
