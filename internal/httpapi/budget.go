package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// metered runs fn with a rate budget for action in the request's context.
// The use case charges it once the request has passed validation
// (app.ChargeBudget), and the RateLimit headers describe that charge. When
// the answer is not a success (4xx other than the 429 itself, or 5xx) the
// slot is given back before the status goes out, unless the client had
// already gone away: so a bad request or a server failure costs nothing,
// while a client that starts work and hangs up still pays for it.
//
// A rate-limited route only declares its action in the route table; any
// handler reaches the budget through its request's context. A use case
// that answered 2xx without charging is charged late, and the log says so:
// its work ran unbounded by the budget.
func (h *handler) metered(api *family, action app.Action, fn userHandler) userHandler {
	return func(w http.ResponseWriter, r *http.Request, u app.User) {
		b, err := h.svc.NewBudget(u.ID, action, func(st app.RateStatus, err error) { respond.SetRateHeaders(w, st, err) })
		if err != nil {
			api.writeError(w, r, h.log, err)
			return
		}
		bw := &budgetWriter{ResponseWriter: w, budget: b, r: r, log: h.log}
		fn(bw, r.WithContext(app.WithBudget(r.Context(), b)), u)
	}
}

// budgetWriter settles the budget when the status is written.
type budgetWriter struct {
	http.ResponseWriter
	budget  *app.Budget
	r       *http.Request
	log     *slog.Logger
	settled bool
}

func (bw *budgetWriter) WriteHeader(code int) {
	if !bw.settled {
		bw.settled = true
		bw.settle(code)
	}
	bw.ResponseWriter.WriteHeader(code)
}

func (bw *budgetWriter) Write(p []byte) (int, error) {
	if !bw.settled {
		bw.WriteHeader(http.StatusOK)
	}
	return bw.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (bw *budgetWriter) Unwrap() http.ResponseWriter { return bw.ResponseWriter }

func (bw *budgetWriter) settle(code int) {
	ctx := bw.r.Context()
	if code < 400 {
		if _, charged := bw.budget.Status(); !charged {
			bw.log.WarnContext(ctx, "rate-limited route answered without charging its budget",
				slog.String("pattern", bw.r.Pattern), slog.Int("status", code))
			_ = bw.budget.Charge(ctx) // counted, late; the headers still go out
		}
		return
	}
	if ctx.Err() == nil && bw.budget.Refund(ctx) {
		st, _ := bw.budget.Status()
		respond.SetRateHeaders(bw.ResponseWriter, st, nil)
	}
}
