package workshops

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/workshop"
)

// WorkshopView is the directory entry of a workshop.
type WorkshopView struct {
	ID                uuid.UUID
	Slug              string
	Name              string
	Plan              string
	Status            string
	TimeZone          string
	FranchiseID       uuid.UUID
	BillingCustomerID string
	SubscriptionID    string
	Profile           workshop.ProfileData
	Version           int64
	CreatedAt         time.Time
	// MFARequired: every staff member must use a second factor (AAL2) here.
	MFARequired bool
}

// ViewOf builds the view of an aggregate at version, for a caller that must
// answer before the read model shows the workshop.
func ViewOf(w *workshop.Workshop, version int64) WorkshopView {
	return WorkshopView{ID: w.ID(), Slug: w.Slug(), Name: w.Profile().Name, Plan: w.Plan(), Status: w.Status().String(),
		TimeZone: w.Profile().TimeZone, Profile: w.Profile(), Version: version, CreatedAt: w.CreatedAt(),
		MFARequired: w.MFARequired()}
}
