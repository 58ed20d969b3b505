package franchise

import (
	"github.com/torquehq/torque/domain/es"
)

// Events lists every event type of the franchise stream (declared in
// franchise.go). None names a customer; ManagerAdded carries the manager's
// e-mail and name, sealed under the manager's subject from schema 2 on.
var Events = es.Catalogue{
	{Event: Created{}},
	{Event: ManagerAdded{}, Subject: "SubjectID", Personal: []string{"Email", "Name"},
		SealedFrom: map[string]int{"Email": 2, "Name": 2}, Upcasters: []es.Upcaster{managerAddedV1}},
	{Event: ManagerRemoved{}},
	{Event: WorkshopInvited{}},
	{Event: WorkshopJoined{}},
	{Event: WorkshopRemoved{}},
	{Event: SettingsChanged{}},
}

// managerAddedV1 upcasts schema 1 (no SubjectID, Email and Name in the
// clear) to schema 2: the manager gets the subject of a first appointment.
var managerAddedV1 = es.DeriveField("SubjectID", "IdentityID", func(id string) any { return ManagerSubject(id, 1) })
