package crypto

import "time"

// SetShredListenerProbe shortens the listener's liveness probe for a test and
// returns the function that restores it.
func SetShredListenerProbe(d time.Duration) (restore func()) {
	old := shredListenerProbe
	shredListenerProbe = d
	return func() { shredListenerProbe = old }
}
