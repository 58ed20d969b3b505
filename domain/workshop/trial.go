package workshop

import "time"

// TrialDays is the length of the free trial a new workshop gets.
const TrialDays = 14

// TrialGrace covers the gap between creating the workshop and the billing
// provider starting (and later converting) its trial: checkout comes a
// little after signup, and the provider's word arrives by webhook.
const TrialGrace = 48 * time.Hour

// TrialOver reports whether a workshop still trialing at now is past its
// trial: billing never said the subscription is active, so the workshop may
// read (and export) its data but no longer change it. A workshop in any
// other status is governed by that status alone.
func TrialOver(status Status, createdAt, now time.Time) bool {
	if status != StatusTrialing || createdAt.IsZero() {
		return false
	}
	return now.After(createdAt.AddDate(0, 0, TrialDays).Add(TrialGrace))
}
