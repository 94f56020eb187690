package outbox

import (
	"context"
	"time"
)

// SendDueForTest is SendDue's send as Run makes it: when the rate's
// second has room again, zero unless it is full.
func (w *Worker) SendDueForTest(ctx context.Context) time.Time {
	_, full, _ := w.sendDue(ctx)
	return full
}

// RestForTest is how long Run would wait after a send that returned full,
// and whether a wake would end the wait.
func (w *Worker) RestForTest(ctx context.Context, full time.Time) (time.Duration, bool) {
	return w.rest(ctx, full)
}
