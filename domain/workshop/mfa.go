package workshop

// MFARequirementChanged turns the workshop's "second factor for everyone"
// policy on or off (issue 10 item 4): while on, staff sessions without a
// second factor (AAL2) are refused in this workshop.
type MFARequirementChanged struct {
	Required bool
	// ChangedBy is the identity id of the owner who changed it.
	ChangedBy string
}

// EventName implements es.Event.
func (MFARequirementChanged) EventName() string { return "workshop.mfa_requirement_changed.v1" }

// SetMFARequired records the policy; setting the current value records nothing.
func (w *Workshop) SetMFARequired(required bool, by string) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	if w.mfaRequired == required {
		return nil
	}
	w.rec.Record(MFARequirementChanged{Required: required, ChangedBy: by})
	return nil
}

// MFARequired reports whether every staff member must use a second factor.
func (w *Workshop) MFARequired() bool { return w.mfaRequired }
