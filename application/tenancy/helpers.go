package tenancy

import (
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
)

func eventsourcingRetry() eventsourcing.UpdateOption { return eventsourcing.RetryOnConflict() }

func identityOf(p authz.Principal) identity.Identity {
	return identity.Identity{ID: p.IdentityID, Email: p.Email, Name: p.Name}
}
