package outbox

import (
	"context"
	"time"
)

// RestForTest is how long Run would wait now, and whether a wake would
// end the wait.
func (w *Worker) RestForTest(ctx context.Context) (time.Duration, bool) { return w.rest(ctx) }
