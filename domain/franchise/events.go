package franchise

import "github.com/torquehq/torque/domain/es"

// Events lists every event type of the franchise stream (declared in
// franchise.go). None names a customer, so none has fields encrypted per
// data subject.
var Events = es.Catalogue{
	{Event: Created{}},
	{Event: ManagerAdded{}},
	{Event: ManagerRemoved{}},
	{Event: WorkshopInvited{}},
	{Event: WorkshopJoined{}},
	{Event: WorkshopRemoved{}},
	{Event: SettingsChanged{}},
}
