package eval

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// gmm is a Gaussian mixture with diagonal covariances.
type gmm struct {
	weights []float64
	means   [][]float64
	vars    [][]float64
	// Cached from the parameters by prepare: log weight plus Gaussian
	// normalizer, and inverse variances.
	logConst []float64
	invVar   [][]float64
}

// varFloor keeps components from collapsing onto a handful of frames; it is
// relative to the global variance of each dimension.
const varFloor = 0.01

func (g *gmm) prepare() {
	k := len(g.weights)
	g.logConst = make([]float64, k)
	g.invVar = make([][]float64, k)
	for c := 0; c < k; c++ {
		s := math.Log(g.weights[c])
		g.invVar[c] = make([]float64, len(g.vars[c]))
		for d, v := range g.vars[c] {
			s -= 0.5 * math.Log(2*math.Pi*v)
			g.invVar[c][d] = 1 / v
		}
		g.logConst[c] = s
	}
}

// componentLogs fills dst with log(w_c N(x; μ_c, Σ_c)) and returns their
// log-sum, the frame's log-likelihood.
func (g *gmm) componentLogs(dst, x []float64) float64 {
	best := math.Inf(-1)
	for c, mu := range g.means {
		iv := g.invVar[c]
		var q float64
		for d, xv := range x {
			t := xv - mu[d]
			q += t * t * iv[d]
		}
		dst[c] = g.logConst[c] - 0.5*q
		best = max(best, dst[c])
	}
	var s float64
	for _, l := range dst {
		if d := l - best; d > -40 { // e^-40 cannot change the sum
			s += math.Exp(d)
		}
	}
	return best + math.Log(s)
}

// avgLogLik returns the mean frame log-likelihood of x.
func (g *gmm) avgLogLik(x [][]float64) float64 {
	buf := make([]float64, len(g.weights))
	var s float64
	for _, f := range x {
		s += g.componentLogs(buf, f)
	}
	return s / float64(len(x))
}

// suffStats are the zeroth, first and second order statistics of frames
// against a mixture's posteriors.
type suffStats struct {
	n      []float64
	f, s   [][]float64
	logLik float64
	frames int
}

func newStats(k, d int, second bool) *suffStats {
	st := &suffStats{n: make([]float64, k), f: make([][]float64, k)}
	if second {
		st.s = make([][]float64, k)
	}
	for c := 0; c < k; c++ {
		st.f[c] = make([]float64, d)
		if second {
			st.s[c] = make([]float64, d)
		}
	}
	return st
}

func (st *suffStats) add(o *suffStats) {
	st.logLik += o.logLik
	st.frames += o.frames
	for c := range st.n {
		st.n[c] += o.n[c]
		for d := range st.f[c] {
			st.f[c][d] += o.f[c][d]
			if st.s != nil {
				st.s[c][d] += o.s[c][d]
			}
		}
	}
}

// stats accumulates posterior statistics of x. Work is split into fixed
// chunks summed in order, so results do not depend on scheduling.
func (g *gmm) stats(x [][]float64, second bool) *suffStats {
	k, d := len(g.weights), len(g.means[0])
	const chunk = 2048
	parts := make([]*suffStats, (len(x)+chunk-1)/chunk)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range parts {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			parts[i] = g.chunkStats(x[i*chunk:min(len(x), (i+1)*chunk)], second)
		}(i)
	}
	wg.Wait()
	total := newStats(k, d, second)
	for _, p := range parts {
		total.add(p)
	}
	return total
}

func (g *gmm) chunkStats(x [][]float64, second bool) *suffStats {
	k, d := len(g.weights), len(g.means[0])
	st := newStats(k, d, second)
	post := make([]float64, k)
	for _, f := range x {
		ll := g.componentLogs(post, f)
		st.logLik += ll
		for c := range post {
			if post[c]-ll < -18 { // posterior below 1e-8: no weight
				continue
			}
			p := math.Exp(post[c] - ll)
			st.n[c] += p
			fc := st.f[c]
			for j, v := range f {
				fc[j] += p * v
			}
			if second {
				sc := st.s[c]
				for j, v := range f {
					sc[j] += p * v * v
				}
			}
		}
	}
	st.frames = len(x)
	return st
}

// trainGMM fits a k-component diagonal GMM to x by EM, starting from means
// at frames drawn with a fixed seed. It returns the model and the average
// log-likelihood before each iteration's update (for monitoring).
func trainGMM(x [][]float64, k, iters int, seed uint64) (*gmm, []float64) {
	d := len(x[0])
	gmean, gvar := moments(x)
	floor := make([]float64, d)
	for j := range floor {
		floor[j] = varFloor * gvar[j]
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	g := &gmm{weights: make([]float64, k), means: make([][]float64, k), vars: make([][]float64, k)}
	for c, idx := range rng.Perm(len(x))[:min(k, len(x))] {
		g.weights[c] = 1 / float64(k)
		g.means[c] = append([]float64(nil), x[idx]...)
		g.vars[c] = append([]float64(nil), gvar...)
	}
	for c := len(x); c < k; c++ { // fewer frames than components
		g.weights[c] = 1 / float64(k)
		g.means[c] = append([]float64(nil), gmean...)
		g.vars[c] = append([]float64(nil), gvar...)
	}
	g.prepare()
	var trace []float64
	for it := 0; it < iters; it++ {
		st := g.stats(x, true)
		trace = append(trace, st.logLik/float64(st.frames))
		g.mStep(st, floor, gmean, gvar)
	}
	return g, trace
}

// mStep re-estimates the parameters from statistics. A component that lost
// all its frames restarts at the global mean and variance.
func (g *gmm) mStep(st *suffStats, floor, gmean, gvar []float64) {
	total := float64(st.frames)
	for c := range g.weights {
		n := st.n[c]
		if n < 1e-3 {
			g.weights[c] = 1e-6
			copy(g.means[c], gmean)
			copy(g.vars[c], gvar)
			continue
		}
		g.weights[c] = n / total
		for j := range g.means[c] {
			m := st.f[c][j] / n
			g.means[c][j] = m
			g.vars[c][j] = max(st.s[c][j]/n-m*m, floor[j])
		}
	}
	g.prepare()
}

// mapAdapt returns a copy of ubm whose means moved toward the data behind
// st, each by n/(n+relevance) (Reynolds et al. 2000). Weights and variances
// stay the UBM's.
func mapAdapt(ubm *gmm, st *suffStats, relevance float64) *gmm {
	g := &gmm{weights: ubm.weights, vars: ubm.vars, logConst: ubm.logConst, invVar: ubm.invVar}
	g.means = make([][]float64, len(ubm.means))
	for c, mu := range ubm.means {
		n := st.n[c]
		a := n / (n + relevance)
		m := make([]float64, len(mu))
		for j := range mu {
			ex := 0.0
			if n > 0 {
				ex = st.f[c][j] / n
			}
			m[j] = a*ex + (1-a)*mu[j]
		}
		g.means[c] = m
	}
	return g
}

// moments returns the per-dimension mean and variance of x.
func moments(x [][]float64) (mean, variance []float64) {
	d := len(x[0])
	mean, variance = make([]float64, d), make([]float64, d)
	for _, r := range x {
		for j, v := range r {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(x))
	}
	for _, r := range x {
		for j, v := range r {
			t := v - mean[j]
			variance[j] += t * t
		}
	}
	for j := range variance {
		variance[j] = variance[j]/float64(len(x)) + 1e-10
	}
	return mean, variance
}
