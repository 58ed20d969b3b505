package wiring

import (
	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

// buildAccounts wires the account-side modules (signup, workshops, staff,
// billing, franchises, memberships) on the system's adapters.
func (s *System) buildAccounts() error {
	base := usecase.Base{Consistency: s.Consistency, Logger: s.Log}
	staffRoster := readmodel.NewStaffRoster(s.Pool, s.Cipher)
	members := readmodel.NewMemberships(s.Pool)
	franchiseDirectory := readmodel.NewFranchiseDirectory(s.Pool)
	var err error
	if s.Workshops, err = workshops.New(base, workshops.Deps{Store: s.Store, Directory: s.Directory,
		Assets: readmodel.NewAssetStore(s.Pool), Catalogs: s.Catalogs}); err != nil {
		return err
	}
	if s.Billing, err = billing.New(base, billing.Deps{Store: s.Store, Workshops: s.Directory, Gateway: s.Stripe,
		Webhooks: readmodel.NewWebhookLedger(s.Pool), PublicURL: s.Cfg.PublicURL}); err != nil {
		return err
	}
	if s.Signup, err = signup.New(base, signup.Deps{Store: s.Store, Slugs: readmodel.NewSlugReservations(s.Pool),
		Identities: s.Ory, Workshops: s.Directory, Checkouts: s.Billing, Mailer: s.Mailer, PublicURL: s.Cfg.PublicURL}); err != nil {
		return err
	}
	if s.Staff, err = staff.New(base, staff.Deps{Store: s.Store, Roster: staffRoster, Workshops: s.Directory, Keys: s.Cipher,
		Identities: s.Ory, Mailer: s.Mailer, PublicURL: s.Cfg.PublicURL}); err != nil {
		return err
	}
	if s.Franchises, err = franchises.New(base, franchises.Deps{Store: s.Store, Directory: franchiseDirectory,
		Memberships: members, Workshops: s.Directory, Identities: s.Ory, Mailer: s.Mailer}); err != nil {
		return err
	}
	s.Memberships, err = memberships.New(base, memberships.Deps{Memberships: members, Franchises: franchiseDirectory})
	return err
}
